package io.affnet.domain.outbound;

import io.affnet.api.common.TenantId;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PausePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackEndpointConfiguredEvent;
import io.affnet.api.outbound.PostbackEndpointPausedEvent;
import io.affnet.api.outbound.PostbackEndpointResumedEvent;
import io.affnet.api.outbound.PostbackSecretIssuedEvent;
import io.affnet.api.outbound.ResumePostbackEndpointCommand;
import io.affnet.api.outbound.RotatePostbackSecretCommand;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * Where and how an affiliate receives our postbacks: its templates, its signing secret, and whether
 * delivery is paused after repeated failures. One per affiliate.
 */
public class PostbackEndpoint {

    @AggregateIdentifier
    private String endpointId;
    private TenantId tenantId;
    private String affiliateId;
    private long version;
    private boolean paused;

    protected PostbackEndpoint() {
    }

    public PostbackEndpoint(ConfigurePostbackEndpointCommand command, Clock clock) {
        ConfigRules.requireTenant(command.tenantId());
        if (command.affiliateId() == null || !command.endpointId().equals(ConfigurePostbackEndpointCommand.endpointIdOf(command.affiliateId()))) {
            throw new InvalidConfigurationException("affiliateId", "affiliateId is required");
        }
        if (command.sealedSecret() == null) {
            throw new InvalidConfigurationException("secret", "a new endpoint needs a signing secret");
        }
        PostbackTemplateRules.validate(command.templates());
        apply(new PostbackEndpointConfiguredEvent(command.tenantId(), command.affiliateId(), 1, command.templates()));
        apply(new PostbackSecretIssuedEvent(command.tenantId(), command.affiliateId(), command.sealedSecret(),
                command.secretPrefix(), clock.instant()));
    }

    public void handle(ConfigurePostbackEndpointCommand command) {
        requireTenant(command.tenantId());
        PostbackTemplateRules.validate(command.templates());
        apply(new PostbackEndpointConfiguredEvent(tenantId, affiliateId, version + 1, command.templates()));
    }

    public void handle(RotatePostbackSecretCommand command, Clock clock) {
        requireTenant(command.tenantId());
        apply(new PostbackSecretIssuedEvent(tenantId, affiliateId, command.sealedSecret(), command.secretPrefix(),
                clock.instant()));
    }

    /** Pausing a paused endpoint changes nothing: several delivery nodes may all decide to pause it. */
    public void handle(PausePostbackEndpointCommand command, Clock clock) {
        requireTenant(command.tenantId());
        if (!paused) {
            apply(new PostbackEndpointPausedEvent(tenantId, affiliateId, command.consecutiveFailures(),
                    command.lastError(), clock.instant()));
        }
    }

    public void handle(ResumePostbackEndpointCommand command, Clock clock) {
        requireTenant(command.tenantId());
        if (paused) {
            apply(new PostbackEndpointResumedEvent(tenantId, affiliateId, clock.instant()));
        }
    }

    private void requireTenant(TenantId caller) {
        if (!tenantId.equals(caller)) {
            throw new NotInTenantException("Postback endpoint");
        }
    }

    @EventSourcingHandler
    void on(PostbackEndpointConfiguredEvent event) {
        endpointId = ConfigurePostbackEndpointCommand.endpointIdOf(event.affiliateId());
        tenantId = event.tenantId();
        affiliateId = event.affiliateId();
        version = event.version();
    }

    @EventSourcingHandler
    void on(PostbackEndpointPausedEvent event) {
        paused = true;
    }

    @EventSourcingHandler
    void on(PostbackEndpointResumedEvent event) {
        paused = false;
    }

    public long version() {
        return version;
    }
}
