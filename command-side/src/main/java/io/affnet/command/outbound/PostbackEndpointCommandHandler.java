package io.affnet.command.outbound;

import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.outbound.ConfigureOutboundSettingsCommand;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PausePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackTargets;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.outbound.ResumePostbackEndpointCommand;
import io.affnet.api.outbound.RotatePostbackSecretCommand;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.outbound.PostbackEndpoint;
import io.affnet.domain.outbound.PostbackTemplateRules;
import io.affnet.domain.tenant.Tenant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Configures affiliates' postback endpoints. Beyond the aggregate's own rules it checks what only the
 * command side can see: the affiliate, offers and goals belong to the tenant, and no template points at
 * an address that is not globally routable, nor at this host's own (the operator's exceptions aside,
 * never a tenant's; checked again at every send, since DNS can change).
 */
@Component
public class PostbackEndpointCommandHandler {

    private static final String WHAT = "Affiliate";

    private final Repository<PostbackEndpoint> endpoints;
    private final Repository<Tenant> tenants;
    private final ConfigLookup lookup;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final PostbackTargets targets;

    public PostbackEndpointCommandHandler(Repository<PostbackEndpoint> endpoints, Repository<Tenant> tenants,
                                          ConfigLookup lookup, JdbcTemplate jdbc, Clock clock, PostbackTargets targets) {
        this.targets = targets;
        this.endpoints = endpoints;
        this.tenants = tenants;
        this.lookup = lookup;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Answers the endpoint's version after the change. */
    @CommandHandler
    public Long handle(ConfigurePostbackEndpointCommand command) throws Exception {
        return ConfigCommands.translating(WHAT, () -> {
            if (!command.affiliateId().equals(ConfigurePostbackEndpointCommand.tenantOwner(command.tenantId()))) {
                lookup.requireTarget(command.tenantId(), ConfigEntityKinds.AFFILIATE, command.affiliateId(), WHAT);
            }
            PostbackTemplateRules.validate(command.templates());
            requireScopesExist(command.tenantId(), command.templates());
            requireAllowedTargets(command.templates());
            if (command.sealedSecret() != null) {
                endpoints.newInstance(() -> new PostbackEndpoint(command, clock));
                return 1L;
            }
            Aggregate<PostbackEndpoint> endpoint = endpoints.load(command.endpointId());
            endpoint.execute(e -> e.handle(command));
            return endpoint.invoke(PostbackEndpoint::version);
        });
    }

    @CommandHandler
    public void handle(RotatePostbackSecretCommand command) throws Exception {
        ConfigCommands.translating(WHAT, () -> {
            endpoints.load(command.endpointId()).execute(e -> e.handle(command, clock));
            return null;
        });
    }

    /** Sent by delivery nodes, so it may arrive more than once; the aggregate ignores a second pause. */
    @CommandHandler
    public void handle(PausePostbackEndpointCommand command) throws Exception {
        ConfigCommands.translating(WHAT, () -> {
            endpoints.load(command.endpointId()).execute(e -> e.handle(command, clock));
            return null;
        });
    }

    @CommandHandler
    public void handle(ResumePostbackEndpointCommand command) throws Exception {
        ConfigCommands.translating(WHAT, () -> {
            endpoints.load(command.endpointId()).execute(e -> e.handle(command, clock));
            return null;
        });
    }

    @CommandHandler
    public void handle(ConfigureOutboundSettingsCommand command) {
        tenants.load(command.tenantId().value()).execute(t -> t.configureOutbound(command.allowPrivateTargets()));
    }

    private void requireScopesExist(TenantId tenantId, List<PostbackTemplate> templates) {
        for (int i = 0; i < templates.size(); i++) {
            PostbackTemplate t = templates.get(i);
            if (t.offerId() == null) {
                continue;
            }
            Set<String> goals = lookup.goalsOf(tenantId, t.offerId());
            if (goals.isEmpty()) {
                throw new InvalidConfigurationException("templates[" + i + "].offerId",
                        "templates[" + i + "].offerId '" + t.offerId() + "' does not exist");
            }
            if (t.goal() != null && !goals.contains(t.goal())) {
                throw new InvalidConfigurationException("templates[" + i + "].goal",
                        "offer '" + t.offerId() + "' has no goal '" + t.goal() + "'");
            }
        }
    }

    /**
     * Every template's host must be written canonically and, where it resolves, resolve only to allowed
     * addresses (a host that does not resolve yet is accepted: every send checks again). Macros may not
     * fill the scheme, host or port, so what is checked here is where the postback goes.
     */
    private void requireAllowedTargets(List<PostbackTemplate> templates) {
        for (int i = 0; i < templates.size(); i++) {
            String field = "templates[" + i + "].url";
            String template = templates.get(i).url();
            int brace = template.indexOf('{');
            if (brace >= 0 && brace < ConfigRules.authorityEnd(template)) {
                throw new InvalidConfigurationException(field, field + " has a macro in its scheme, host or port; "
                        + "macros may only fill the path or query");
            }
            URI uri = URI.create(template.replaceAll("\\{[^{}]*}", "x"));
            String host = uri.getHost();
            String nonCanonical = targets.nonCanonical(host);
            if (nonCanonical != null) {
                throw new InvalidConfigurationException(field, field + " points at a host in a non-canonical form: "
                        + nonCanonical);
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String refusal = targets.refusal(host, port);
            if (refusal != null) {
                throw new InvalidConfigurationException(field, field + " points at " + refusal
                        + "; postbacks may only go to globally routable addresses");
            }
        }
    }
}
