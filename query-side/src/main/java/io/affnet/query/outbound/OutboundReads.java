package io.affnet.query.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the outbound views: an affiliate's endpoint ({@code outbound_endpoint} and its health; never the
 * secret) and the delivery attempts ({@code outbound_attempt} with its delivery's state; URLs as masked when
 * written). Every read is within one tenant.
 */
@Repository
public class OutboundReads {

    private static final String ATTEMPTS = """
            SELECT a.attempt_seq, a.delivery_id, a.conversion_id, a.affiliate_id, a.attempt_no, a.method, a.masked_url,
                   a.outcome, a.status_code, a.latency_ms, a.error, a.started_at, a.finished_at, d.state, d.trigger
            FROM outbound_attempt a JOIN outbound_delivery d ON d.delivery_id = a.delivery_id
            """;


    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OutboundReads(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The affiliate's endpoint as the API shows it, if it has one. */
    public Optional<ObjectNode> endpoint(String tenantId, String affiliateId) {
        List<ObjectNode> rows = jdbc.query("""
                        SELECT e.version, e.templates::text, e.secret_prefix, e.secret_issued_at, e.paused, e.paused_at, e.pause_reason,
                               COALESCE(h.consecutive_failures, 0)
                        FROM outbound_endpoint e LEFT JOIN outbound_endpoint_health h ON h.affiliate_id = e.affiliate_id AND h.tenant_id = e.tenant_id
                        WHERE e.affiliate_id = ? AND e.tenant_id = ?""",
                (rs, i) -> {
                    ObjectNode node = json.createObjectNode();
                    node.put("affiliateId", affiliateId);
                    node.put("version", rs.getLong(1));
                    node.set("templates", read(rs.getString(2)));
                    node.put("secretPrefix", rs.getString(3));
                    node.put("secretIssuedAt", text(rs.getTimestamp(4)));
                    node.put("paused", rs.getBoolean(5));
                    node.put("pausedAt", text(rs.getTimestamp(6)));
                    node.put("pauseReason", rs.getString(7));
                    node.put("consecutiveFailures", rs.getInt(8));
                    return node;
                }, affiliateId, tenantId);
        return rows.stream().findFirst();
    }

    /** Up to {@code limit} attempts for the affiliate with a seq below {@code before}, newest first. */
    public List<ObjectNode> attemptsOfAffiliate(String tenantId, String affiliateId, long before, int limit) {
        return jdbc.query(ATTEMPTS + " WHERE a.tenant_id = ? AND a.affiliate_id = ? AND a.attempt_seq < ? ORDER BY a.attempt_seq DESC LIMIT ?",
                (rs, i) -> attempt(rs), tenantId, affiliateId, before, limit);
    }

    /** Up to {@code limit} attempts for the conversion with a seq below {@code before}, newest first. */
    public List<ObjectNode> attemptsOfConversion(String tenantId, String conversionId, long before, int limit) {
        return jdbc.query(ATTEMPTS + " WHERE a.tenant_id = ? AND a.conversion_id = ? AND a.attempt_seq < ? ORDER BY a.attempt_seq DESC LIMIT ?",
                (rs, i) -> attempt(rs), tenantId, conversionId, before, limit);
    }

    private ObjectNode attempt(ResultSet rs) throws SQLException {
        ObjectNode node = json.createObjectNode();
        node.put("seq", rs.getLong(1));
        node.put("deliveryId", rs.getString(2));
        node.put("conversionId", rs.getString(3));
        node.put("affiliateId", rs.getString(4));
        node.put("attempt", rs.getInt(5));
        node.put("method", rs.getString(6));
        node.put("url", rs.getString(7));
        node.put("outcome", rs.getString(8));
        int status = rs.getInt(9);
        if (rs.wasNull()) {
            node.putNull("statusCode");
        } else {
            node.put("statusCode", status);
        }
        long latency = rs.getLong(10);
        if (rs.wasNull()) {
            node.putNull("latencyMs");
        } else {
            node.put("latencyMs", latency);
        }
        node.put("error", rs.getString(11));
        node.put("startedAt", text(rs.getTimestamp(12)));
        node.put("finishedAt", text(rs.getTimestamp(13)));
        node.put("deliveryState", rs.getString(14));
        node.put("trigger", rs.getString(15));
        return node;
    }

    private com.fasterxml.jackson.databind.JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
