package io.affnet.web.auth;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/**
 * Finds the caller behind a key hash in the {@code api_key} read model, with its tenant's status. Those
 * tables are written in the same transaction as the events that change keys and tenants, and read on
 * every request (one indexed lookup, no cache), so a key works, or stops working, and a suspension
 * takes effect, the moment its command commits, on every node.
 */
public class ApiKeyDirectory {

    private final JdbcTemplate jdbc;

    public ApiKeyDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A working key: who it speaks for, and whether its tenant is suspended. */
    public record ActiveKey(String keyId, Caller caller, boolean tenantSuspended) {
    }

    public Optional<ActiveKey> findActive(String keyHash) {
        List<ActiveKey> found = jdbc.query("""
                        SELECT k.key_id, k.tenant_id, k.principal_id, k.role, s.status FROM api_key k
                        LEFT JOIN tenant_status s ON s.tenant_id = k.tenant_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())""",
                (rs, i) -> new ActiveKey(rs.getString(1),
                        new Caller(TenantId.of(rs.getString(2)), rs.getString(3), Role.valueOf(rs.getString(4))),
                        "SUSPENDED".equals(rs.getString(5))),
                keyHash);
        return found.stream().findFirst();
    }
}
