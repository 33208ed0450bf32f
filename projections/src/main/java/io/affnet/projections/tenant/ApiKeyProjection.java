package io.affnet.projections.tenant;

import io.affnet.api.common.Role;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.tenant.PostbackSettingsChangedEvent;
import io.affnet.api.tenant.PostbackTokenIssuedEvent;
import io.affnet.api.tenant.PostbackTokenRevokedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps the credential tables: {@code api_key}, {@code postback_token} and the tenant's postback settings. Its processing group is subscribing: it runs inside the transaction
 * that appends the event, so a key is usable (or revoked) exactly when its event commits.
 */
@Component
@ProcessingGroup(ApiKeyProjection.GROUP)
public class ApiKeyProjection {

    public static final String GROUP = "api-keys";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public ApiKeyProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
    void on(PostbackTokenIssuedEvent event) {
        jdbc.update("""
                        INSERT INTO postback_token (token_id, token_hash, prefix, tenant_id, issued_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING""",
                event.tokenId(), event.tokenHash(), event.prefix(), event.tenantId().value(), Timestamp.from(event.issuedAt()));
    }

    @EventHandler
    void on(PostbackTokenRevokedEvent event) {
        jdbc.update("UPDATE postback_token SET revoked_at = ? WHERE token_id = ? AND tenant_id = ?",
                Timestamp.from(event.revokedAt()), event.tokenId(), event.tenantId().value());
    }

    @EventHandler
    void on(PostbackSettingsChangedEvent event) throws JsonProcessingException {
        jdbc.update("""
                        INSERT INTO tenant_postback_settings (tenant_id, settings) VALUES (?, ?::jsonb)
                        ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings""",
                event.tenantId().value(), JSON.writeValueAsString(event.settings()));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM api_key");
        jdbc.update("DELETE FROM postback_token");
        jdbc.update("DELETE FROM tenant_postback_settings");
    }
}
