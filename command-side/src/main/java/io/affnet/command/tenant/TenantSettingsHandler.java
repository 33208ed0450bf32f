package io.affnet.command.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.tenant.ConfigurePostbacksCommand;
import io.affnet.api.tenant.ConfigureReportSharingCommand;
import io.affnet.api.tenant.ConfigureTrackingDomainsCommand;
import io.affnet.api.tenant.IssueApiKeyCommand;
import io.affnet.api.tenant.RevokeApiKeyCommand;
import io.affnet.api.tenant.RotateApiKeyCommand;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.tenant.UnknownApiKeyException;
import io.affnet.api.tenant.IssuePostbackTokenCommand;
import io.affnet.api.tenant.RevokePostbackTokenCommand;
import io.affnet.domain.tenant.InvalidTenantException;
import io.affnet.domain.tenant.Tenant;
import io.affnet.domain.tenant.UnknownPostbackTokenException;
import io.affnet.api.common.CommandRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Repository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;

/** Changes to a tenant's own settings, applied to its aggregate. */
@Component
public class TenantSettingsHandler {

    private final Repository<Tenant> tenants;
    private final Clock clock;
    private final ConfigLookup lookup;
    private final JdbcTemplate jdbc;

    public TenantSettingsHandler(Repository<Tenant> tenants, Clock clock, ConfigLookup lookup, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.clock = clock;
        this.lookup = lookup;
    }

    /** An affiliate's or advertiser's key must name one of the tenant's own (checked in this transaction). */
    @CommandHandler
    public void handle(IssueApiKeyCommand command) {
        if (command.role() == Role.AFFILIATE && !lookup.exists(command.tenantId(), ConfigEntityKinds.AFFILIATE, command.principalId())) {
            throw new CommandExecutionException("unknown affiliate", null,
                    CommandRejection.invalid("affiliateId", "affiliateId '" + command.principalId() + "' does not exist"));
        }
        if (command.role() == Role.ADVERTISER && !lookup.exists(command.tenantId(), ConfigEntityKinds.ADVERTISER, command.principalId())) {
            throw new CommandExecutionException("unknown advertiser", null,
                    CommandRejection.invalid("advertiserId", "advertiserId '" + command.principalId() + "' does not exist"));
        }
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.issueApiKey(command, clock));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
    }

    @CommandHandler
    public void handle(RotateApiKeyCommand command) {
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.rotateApiKey(command, clock));
        } catch (UnknownApiKeyException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.notFound("API key"));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
    }

    @CommandHandler
    public void handle(RevokeApiKeyCommand command) {
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.revokeApiKey(command.keyId(), command.revokedBy(), clock));
        } catch (UnknownApiKeyException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.notFound("API key"));
        }
    }

    /** A host name serves one tenant only: one held by another tenant is a conflict. */
    @CommandHandler
    public void handle(ConfigureTrackingDomainsCommand command) {
        if (command.hosts() != null && !command.hosts().isEmpty()) {
            List<String> taken = jdbc.queryForList("SELECT host FROM tracking_domain WHERE host = ANY (?) AND tenant_id <> ?",
                    String.class, command.hosts().toArray(String[]::new), command.tenantId().value());
            if (!taken.isEmpty()) {
                throw new CommandExecutionException("tracking domain taken", null, CommandRejection.conflict("tracking-domain-taken",
                        "The host name " + taken.get(0) + " already serves another tenant."));
            }
        }
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.configureTrackingDomains(command.hosts()));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
    }

    @CommandHandler
    public void handle(io.affnet.api.tenant.IssueAdvertiserPostbackTokenCommand command) {
        if (!lookup.exists(command.tenantId(), ConfigEntityKinds.ADVERTISER, command.advertiserId())) {
            throw new CommandExecutionException("unknown advertiser", null, CommandRejection.notFound("Advertiser"));
        }
        tenants.load(command.tenantId().value()).execute(t -> t.issueAdvertiserPostbackToken(command.advertiserId(),
                command.tokenId(), command.tokenHash(), command.prefix(), clock));
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
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.notFound("Postback token"));
        }
    }

    @CommandHandler
    public void handle(ConfigureReportSharingCommand command) {
        tenants.load(command.tenantId().value()).execute(t -> t.configureReportSharing(command.advertisersSeeAffiliates()));
    }

    @CommandHandler
    public void handle(ConfigurePostbacksCommand command) {
        try {
            tenants.load(command.tenantId().value()).execute(t -> t.configurePostbacks(command.settings()));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
    }
}
