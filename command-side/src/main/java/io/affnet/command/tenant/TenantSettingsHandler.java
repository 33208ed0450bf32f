package io.affnet.command.tenant;

import io.affnet.api.tenant.ConfigurePostbacksCommand;
import io.affnet.api.tenant.IssuePostbackTokenCommand;
import io.affnet.api.tenant.RevokePostbackTokenCommand;
import io.affnet.domain.tenant.InvalidTenantException;
import io.affnet.domain.tenant.Tenant;
import io.affnet.domain.tenant.UnknownPostbackTokenException;
import io.affnet.web.problem.ApiProblem;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** Changes to a tenant's own settings, applied to its aggregate. */
@Component
public class TenantSettingsHandler {

    private final Repository<Tenant> tenants;
    private final Clock clock;

    public TenantSettingsHandler(Repository<Tenant> tenants, Clock clock) {
        this.tenants = tenants;
        this.clock = clock;
    }

    @CommandHandler
    public void handle(IssuePostbackTokenCommand command) {
        tenants.load(command.tenantId().value())
                .execute(t -> t.issuePostbackToken(command.tokenId(), command.tokenHash(), command.prefix(), clock));
    }

    @CommandHandler
    public void handle(RevokePostbackTokenCommand command) {
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.revokePostbackToken(command.tokenId(), clock));
        } catch (UnknownPostbackTokenException e) {
            throw new CommandExecutionException(e.getMessage(), null, ApiProblem.notFound("Postback token"));
        }
    }

    @CommandHandler
    public void handle(ConfigurePostbacksCommand command) {
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.configurePostbacks(command.settings()));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, ApiProblem.invalid(e.field(), e.getMessage()));
        }
    }
}
