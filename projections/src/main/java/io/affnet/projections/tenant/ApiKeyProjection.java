package io.affnet.projections.tenant;

import io.affnet.api.common.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.tenant.ApiKeyIssuedEvent;
import io.affnet.api.tenant.ApiKeyRevokedEvent;
import io.affnet.api.tenant.ApiKeyRotatedEvent;
import io.affnet.api.tenant.PostbackSettingsChangedEvent;
import io.affnet.api.tenant.TenantReactivatedEvent;
import io.affnet.api.tenant.TenantSuspendedEvent;
import io.affnet.api.tenant.PostbackTokenIssuedEvent;
import io.affnet.api.tenant.PostbackTokenRevokedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.projections.config.ConfigChanges;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps the credential tables: {@code api_key}, {@code postback_token}, {@code tenant_status} and the
 * tenant's postback settings. Its processing group is subscribing: it runs inside the transaction that
 * appends the event, so a key is usable (or revoked, or its tenant suspended) exactly when its event
 * commits, on every node. Postback tokens and settings are also cached in each node's memory
 * ({@code PostbackCredentials}): their changes are announced on the change channel once committed.
 */
@Component
@ProcessingGroup(ApiKeyProjection.GROUP)
public class ApiKeyProjection {

    public static final String GROUP = "api-keys";

    private static final ObjectMapper JSON = io.affnet.api.config.ConfigCacheJson.MAPPER;

    private final JdbcTemplate jdbc;
    private final ConfigChanges changes;

    public ApiKeyProjection(JdbcTemplate jdbc, ConfigChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    @EventHandler
    void on(TenantRegisteredEvent event) {
        jdbc.update("""
                        INSERT INTO api_key (key_id, key_hash, key_prefix, tenant_id, principal_id, role, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING""",
                event.adminKeyId(), event.adminKeyHash(), event.adminKeyPrefix(), event.tenantId().value(),
                "admin", Role.TENANT_ADMIN.name(), Timestamp.from(event.registeredAt()));
    }

    @EventHandler
    void on(ApiKeyIssuedEvent event) {
        jdbc.update("""
                        INSERT INTO api_key (key_id, key_hash, key_prefix, tenant_id, principal_id, role, created_at, label, issued_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING""",
                event.keyId(), event.keyHash(), event.keyPrefix(), event.tenantId().value(), event.principalId(),
                event.role().name(), Timestamp.from(event.issuedAt()), event.label(), event.issuedBy());
    }

    /** The replacement inherits principal, role and label; the old key only lives out its overlap. */
    @EventHandler
    void on(ApiKeyRotatedEvent event) {
        jdbc.update("""
                        INSERT INTO api_key (key_id, key_hash, key_prefix, tenant_id, principal_id, role, created_at, label, issued_by)
                        SELECT ?, ?, ?, tenant_id, principal_id, role, ?, label, ? FROM api_key WHERE key_id = ? AND tenant_id = ?
                        ON CONFLICT (key_id) DO NOTHING""",
                event.newKeyId(), event.newKeyHash(), event.newKeyPrefix(), Timestamp.from(event.rotatedAt()),
                event.rotatedBy(), event.keyId(), event.tenantId().value());
        jdbc.update("UPDATE api_key SET expires_at = ?, replaced_by = ? WHERE key_id = ? AND tenant_id = ?",
                Timestamp.from(event.oldKeyExpiresAt()), event.newKeyId(), event.keyId(), event.tenantId().value());
    }

    @EventHandler
    void on(ApiKeyRevokedEvent event) {
        jdbc.update("UPDATE api_key SET revoked_at = ? WHERE key_id = ? AND tenant_id = ? AND revoked_at IS NULL",
                Timestamp.from(event.revokedAt()), event.keyId(), event.tenantId().value());
    }

    @EventHandler
    void on(TenantSuspendedEvent event) {
        status(event.tenantId().value(), "SUSPENDED", event.suspendedAt());
    }

    @EventHandler
    void on(TenantReactivatedEvent event) {
        status(event.tenantId().value(), "ACTIVE", event.reactivatedAt());
    }

    private void status(String tenantId, String status, java.time.Instant at) {
        jdbc.update("""
                        INSERT INTO tenant_status (tenant_id, status, changed_at) VALUES (?, ?, ?)
                        ON CONFLICT (tenant_id) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at""",
                tenantId, status, Timestamp.from(at));
    }

    /** One row per host: a second tenant claiming a host fails on the primary key, in the claiming transaction. */
    @EventHandler
    void on(io.affnet.api.tenant.TrackingDomainsConfiguredEvent event) {
        jdbc.update("DELETE FROM tracking_domain WHERE tenant_id = ?", event.tenantId().value());
        for (int i = 0; i < event.hosts().size(); i++) {
            jdbc.update("INSERT INTO tracking_domain (host, tenant_id, position) VALUES (?, ?, ?)",
                    event.hosts().get(i), event.tenantId().value(), i);
        }
    }

    @EventHandler
    void on(PostbackTokenIssuedEvent event) {
        jdbc.update("""
                        INSERT INTO postback_token (token_id, token_hash, prefix, tenant_id, issued_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING""",
                event.tokenId(), event.tokenHash(), event.prefix(), event.tenantId().value(), Timestamp.from(event.issuedAt()));
        // A node may remember this hash as unknown (briefly): it must not refuse the new token meanwhile.
        changes.announceAfterCommit(ConfigCacheKeys.postbackToken(event.tokenHash()));
    }

    @EventHandler
    void on(io.affnet.api.tenant.AdvertiserPostbackTokenIssuedEvent event) {
        jdbc.update("""
                        INSERT INTO postback_token (token_id, token_hash, prefix, tenant_id, issued_at, advertiser_id)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING""",
                event.tokenId(), event.tokenHash(), event.prefix(), event.tenantId().value(), Timestamp.from(event.issuedAt()),
                event.advertiserId());
        changes.announceAfterCommit(ConfigCacheKeys.postbackToken(event.tokenHash()));
    }

    @EventHandler
    void on(PostbackTokenRevokedEvent event) {
        jdbc.queryForList("UPDATE postback_token SET revoked_at = ? WHERE token_id = ? AND tenant_id = ? RETURNING token_hash",
                        String.class, Timestamp.from(event.revokedAt()), event.tokenId(), event.tenantId().value())
                .forEach(hash -> changes.announceAfterCommit(ConfigCacheKeys.postbackToken(hash)));
    }

    @EventHandler
    void on(PostbackSettingsChangedEvent event) throws JsonProcessingException {
        jdbc.update("""
                        INSERT INTO tenant_postback_settings (tenant_id, settings) VALUES (?, ?::jsonb)
                        ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings""",
                event.tenantId().value(), JSON.writeValueAsString(event.settings()));
        changes.announceAfterCommit(ConfigCacheKeys.postbackSettings(event.tenantId().value()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM api_key");
        jdbc.update("DELETE FROM tenant_status");
        jdbc.update("DELETE FROM postback_token");
        jdbc.update("DELETE FROM tenant_postback_settings");
    }
}
