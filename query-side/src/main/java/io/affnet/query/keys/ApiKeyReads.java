package io.affnet.query.keys;

import io.affnet.query.keys.ApiKeyQueryController.KeyView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Reads of the {@code api_key} view ({@code ApiKeyProjection} writes it): never a secret or a hash. */
@Repository
public class ApiKeyReads {

    private final JdbcTemplate jdbc;

    public ApiKeyReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} of the tenant's keys with an id after {@code after}, by id. */
    public List<KeyView> page(String tenantId, String after, int limit) {
        return jdbc.query("""
                        SELECT key_id, key_prefix, principal_id, role, label, issued_by, created_at, last_used_at, expires_at,
                               replaced_by, revoked_at,
                               revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AS active
                        FROM api_key WHERE tenant_id = ? AND key_id > ? ORDER BY key_id LIMIT ?""",
                (rs, i) -> new KeyView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                        rs.getString(10), instant(rs.getTimestamp(11)), rs.getBoolean(12)),
                tenantId, after, limit);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
