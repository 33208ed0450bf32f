package io.affnet.domain.tenant;

import io.affnet.api.common.TenantId;
import io.affnet.api.outbound.OutboundSettingsChangedEvent;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.api.tenant.PostbackSettingsChangedEvent;
import io.affnet.api.tenant.PostbackTokenIssuedEvent;
import io.affnet.api.tenant.PostbackTokenRevokedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A business running its affiliate programme on affnet. Registration is not a {@code @CommandHandler}
 * on the constructor: the slug must be unique across all tenants, which one aggregate cannot know, so
 * the command side claims the slug in a lookup table first and then creates the aggregate in the same
 * transaction.
 */
public class Tenant {

    @AggregateIdentifier
    private TenantId tenantId;
    private String slug;
    private final java.util.Set<String> postbackTokens = new java.util.HashSet<>();
    private boolean allowPrivateTargets;

    protected Tenant() {
    }

    public Tenant(RegisterTenantCommand command, Clock clock) {
        TenantRules.validate(command);
        apply(new TenantRegisteredEvent(
                command.tenantId(), command.slug(), command.name(), command.timezone(), command.currency(),
                command.adminKeyId(), command.adminKeyHash(), command.adminKeyPrefix(), clock.instant()));
    }

    public void issuePostbackToken(String tokenId, String tokenHash, String prefix, Clock clock) {
        apply(new PostbackTokenIssuedEvent(tenantId, tokenId, tokenHash, prefix, clock.instant()));
    }

    public void revokePostbackToken(String tokenId, Clock clock) {
        if (!postbackTokens.contains(tokenId)) {
            throw new UnknownPostbackTokenException(tokenId);
        }
        apply(new PostbackTokenRevokedEvent(tenantId, tokenId, clock.instant()));
    }

    public void configurePostbacks(PostbackSettings settings) {
        if (settings.defaultStatus() == null || settings.fraud() == null) {
            throw new InvalidTenantException("postbackSettings", "defaultStatus and fraud are required");
        }
        if (settings.fraud().minSecondsToConvert() < 0 || settings.fraud().maxConversionsPerClickGoal() < 0) {
            throw new InvalidTenantException("fraud", "fraud thresholds must not be negative");
        }
        if (settings.statusMap() != null && settings.statusMap().size() > 100) {
            throw new InvalidTenantException("statusMap", "at most 100 status words");
        }
        apply(new PostbackSettingsChangedEvent(tenantId, settings));
    }

    /** Where outbound postbacks may go; setting what is already set records nothing. */
    public void configureOutbound(boolean allowPrivateTargets) {
        if (allowPrivateTargets != this.allowPrivateTargets) {
            apply(new OutboundSettingsChangedEvent(tenantId, allowPrivateTargets));
        }
    }

    @EventSourcingHandler
    void on(OutboundSettingsChangedEvent event) {
        this.allowPrivateTargets = event.allowPrivateTargets();
    }

    @EventSourcingHandler
    void on(PostbackTokenIssuedEvent event) {
        postbackTokens.add(event.tokenId());
    }

    @EventSourcingHandler
    void on(PostbackTokenRevokedEvent event) {
        postbackTokens.remove(event.tokenId());
    }

    @EventSourcingHandler
    void on(TenantRegisteredEvent event) {
        this.tenantId = event.tenantId();
        this.slug = event.slug();
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public String slug() {
        return slug;
    }
}
