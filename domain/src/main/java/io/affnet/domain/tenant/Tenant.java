package io.affnet.domain.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.ApiKeyIssuedEvent;
import io.affnet.api.tenant.ApiKeyRevokedEvent;
import io.affnet.api.tenant.ApiKeyRotatedEvent;
import io.affnet.api.tenant.IssueApiKeyCommand;
import io.affnet.api.outbound.OutboundSettingsChangedEvent;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.api.tenant.ReportSharingChangedEvent;
import io.affnet.api.tenant.RotateApiKeyCommand;
import io.affnet.api.tenant.TenantReactivatedEvent;
import io.affnet.api.tenant.TenantSuspendedEvent;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.api.tenant.PostbackSettingsChangedEvent;
import io.affnet.api.tenant.PostbackTokenIssuedEvent;
import io.affnet.api.tenant.PostbackTokenRevokedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

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
    /** Keys that still work, and whether each is already replaced (then it only lives out its overlap). */
    private final Map<String, Boolean> keysReplaced = new HashMap<>();
    private boolean suspended;

    public static final Duration MAX_KEY_OVERLAP = Duration.ofDays(30);
    public static final int MAX_LABEL_LENGTH = 100;
    private boolean allowPrivateTargets;
    private boolean advertisersSeeAffiliates;

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

    /** A token that reaches only the offers of one advertiser (that it is the tenant's is checked by the command side). */
    public void issueAdvertiserPostbackToken(String advertiserId, String tokenId, String tokenHash, String prefix, Clock clock) {
        apply(new io.affnet.api.tenant.AdvertiserPostbackTokenIssuedEvent(tenantId, advertiserId, tokenId, tokenHash, prefix,
                clock.instant()));
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

    public void issueApiKey(IssueApiKeyCommand command, Clock clock) {
        if (command.role() == null || command.role() == Role.OPERATOR) {
            throw new InvalidTenantException("role", "role must be one of TENANT_ADMIN, TENANT_ANALYST, AFFILIATE, ADVERTISER, AUDITOR");
        }
        if (command.principalId() == null || command.principalId().isBlank()) {
            throw new InvalidTenantException("principalId", "a key needs a principal");
        }
        if (command.label() != null && command.label().length() > MAX_LABEL_LENGTH) {
            throw new InvalidTenantException("label", "label must be at most " + MAX_LABEL_LENGTH + " characters");
        }
        apply(new ApiKeyIssuedEvent(tenantId, command.keyId(), command.keyHash(), command.keyPrefix(), command.principalId(),
                command.role(), command.label(), command.issuedBy(), clock.instant()));
    }

    /** The old key keeps working for the overlap; a key already replaced cannot be rotated again. */
    public void rotateApiKey(RotateApiKeyCommand command, Clock clock) {
        if (!keysReplaced.containsKey(command.keyId())) {
            throw new UnknownApiKeyException(command.keyId());
        }
        if (keysReplaced.get(command.keyId())) {
            throw new InvalidTenantException("keyId", "this key was already rotated; rotate its replacement");
        }
        if (command.overlapSeconds() < 0 || command.overlapSeconds() > MAX_KEY_OVERLAP.toSeconds()) {
            throw new InvalidTenantException("overlapSeconds", "overlapSeconds must be between 0 and " + MAX_KEY_OVERLAP.toSeconds());
        }
        java.time.Instant now = clock.instant();
        apply(new ApiKeyRotatedEvent(tenantId, command.keyId(), now.plusSeconds(command.overlapSeconds()), command.newKeyId(),
                command.newKeyHash(), command.newKeyPrefix(), command.rotatedBy(), now));
    }

    public void revokeApiKey(String keyId, String revokedBy, Clock clock) {
        if (!keysReplaced.containsKey(keyId)) {
            throw new UnknownApiKeyException(keyId);
        }
        apply(new ApiKeyRevokedEvent(tenantId, keyId, revokedBy, clock.instant()));
    }

    /** Suspending a suspended tenant changes nothing (and records nothing). */
    public void suspend(String reason, String by, Clock clock) {
        if (reason != null && reason.length() > 500) {
            throw new InvalidTenantException("reason", "reason must be at most 500 characters");
        }
        if (!suspended) {
            apply(new TenantSuspendedEvent(tenantId, reason, by, clock.instant()));
        }
    }

    public void reactivate(String by, Clock clock) {
        if (suspended) {
            apply(new TenantReactivatedEvent(tenantId, by, clock.instant()));
        }
    }

    public boolean suspended() {
        return suspended;
    }

    @EventSourcingHandler
    void on(ApiKeyIssuedEvent event) {
        keysReplaced.put(event.keyId(), false);
    }

    @EventSourcingHandler
    void on(ApiKeyRotatedEvent event) {
        keysReplaced.put(event.keyId(), true);
        keysReplaced.put(event.newKeyId(), false);
    }

    @EventSourcingHandler
    void on(ApiKeyRevokedEvent event) {
        keysReplaced.remove(event.keyId());
    }

    @EventSourcingHandler
    void on(TenantSuspendedEvent event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(TenantReactivatedEvent event) {
        suspended = false;
    }

    public static final int MAX_TRACKING_DOMAINS = 10;

    /**
     * The tenant's own tracking host names (lower-case DNS names, at most {@value #MAX_TRACKING_DOMAINS});
     * that no other tenant holds one is checked by the command side, which sees all tenants.
     */
    public void configureTrackingDomains(java.util.List<String> hosts) {
        if (hosts == null) {
            throw new InvalidTenantException("hosts", "hosts is required (an empty list removes every domain)");
        }
        if (hosts.size() > MAX_TRACKING_DOMAINS) {
            throw new InvalidTenantException("hosts", "a tenant has at most " + MAX_TRACKING_DOMAINS + " tracking domains");
        }
        if (new java.util.HashSet<>(hosts).size() != hosts.size()) {
            throw new InvalidTenantException("hosts", "hosts has a host name twice");
        }
        for (String host : hosts) {
            if (!io.affnet.domain.config.ConfigRules.isHostName(host)) {
                throw new InvalidTenantException("hosts", "hosts has '" + host
                        + "', which is not a lower-case host name such as track.shop.example (no scheme, port or path)");
            }
        }
        apply(new io.affnet.api.tenant.TrackingDomainsConfiguredEvent(tenantId, java.util.List.copyOf(hosts)));
    }

    /** Where outbound postbacks may go; setting what is already set records nothing. */
    public void configureOutbound(boolean allowPrivateTargets) {
        if (allowPrivateTargets != this.allowPrivateTargets) {
            apply(new OutboundSettingsChangedEvent(tenantId, allowPrivateTargets));
        }
    }

    /** Whether advertisers see who sent their traffic; setting what is already set records nothing. */
    public void configureReportSharing(boolean advertisersSeeAffiliates) {
        if (advertisersSeeAffiliates != this.advertisersSeeAffiliates) {
            apply(new ReportSharingChangedEvent(tenantId, advertisersSeeAffiliates));
        }
    }

    @EventSourcingHandler
    void on(ReportSharingChangedEvent event) {
        this.advertisersSeeAffiliates = event.advertisersSeeAffiliates();
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
    void on(io.affnet.api.tenant.AdvertiserPostbackTokenIssuedEvent event) {
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
        if (event.adminKeyId() != null) {
            keysReplaced.put(event.adminKeyId(), false);
        }
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public String slug() {
        return slug;
    }
}
