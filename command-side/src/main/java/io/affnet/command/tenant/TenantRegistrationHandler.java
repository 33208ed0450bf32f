package io.affnet.command.tenant;

import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.domain.tenant.InvalidTenantException;
import io.affnet.domain.tenant.Tenant;
import io.affnet.domain.tenant.TenantRules;
import io.affnet.api.common.CommandRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Registers tenants with a globally unique slug: the slug is claimed in {@code tenant_slug} inside the
 * command's transaction (the same connection the event store appends on), so either both the claim
 * and {@code TenantRegisteredEvent} commit or neither does.
 */
@Component
public class TenantRegistrationHandler {

    private final Repository<Tenant> tenants;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public TenantRegistrationHandler(Repository<Tenant> tenants, JdbcTemplate jdbc, Clock clock) {
        this.tenants = tenants;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @CommandHandler
    public String handle(RegisterTenantCommand command) throws Exception {
        try {
            TenantRules.validate(command);
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
        try {
            jdbc.update("INSERT INTO tenant_slug (slug, tenant_id) VALUES (?, ?)", command.slug(), command.tenantId().value());
        } catch (DuplicateKeyException e) {
            throw new CommandExecutionException("slug taken", null,
                    CommandRejection.conflict("duplicate-slug", "A tenant with slug '" + command.slug() + "' already exists."));
        }
        tenants.newInstance(() -> new Tenant(command, clock));
        return command.tenantId().value();
    }
}
