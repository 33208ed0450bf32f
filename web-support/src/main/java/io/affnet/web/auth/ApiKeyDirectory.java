package io.affnet.web.auth;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Optional;

/**
 * Finds the caller behind a key hash in the {@code api_key} read model. That table is written in the
 * same transaction as the events that change keys, so a key works, or stops working, the moment its
 * command commits, on every node.
 */
public class ApiKeyDirectory {

    private final JdbcTemplate jdbc;

    public ApiKeyDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Caller> findActive(String keyHash) {
        List<Caller> found = jdbc.query(
                "SELECT k.tenant_id, k.principal_id, k.role FROM api_key k WHERE k.key_hash = ? AND k.revoked_at IS NULL",
                (rs, i) -> new Caller(TenantId.of(rs.getString(1)), rs.getString(2), Role.valueOf(rs.getString(3))),
                keyHash);
        return found.stream().findFirst();
    }
}
