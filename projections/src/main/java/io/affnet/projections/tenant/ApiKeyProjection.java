package io.affnet.projections.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps the {@code api_key} table. Its processing group is subscribing: it runs inside the transaction
 * that appends the event, so a key is usable (or revoked) exactly when its event commits.
 */
@Component
@ProcessingGroup(ApiKeyProjection.GROUP)
public class ApiKeyProjection {

    public static final String GROUP = "api-keys";

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

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM api_key");
    }
}
