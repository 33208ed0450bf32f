package io.affnet.query.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * Reads an affiliate's postback endpoint (templates, pause state, never the secret) and the delivery
 * log per affiliate and per conversion: one entry per attempt, newest first, URLs with secrets masked.
 * Every query filters by the caller's tenant; pages continue with {@code before} (the last seq seen).
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
public class OutboundQueryController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;
    private static final String ATTEMPTS = """
            SELECT a.attempt_seq, a.delivery_id, a.conversion_id, a.affiliate_id, a.attempt_no, a.method, a.masked_url,
                   a.outcome, a.status_code, a.latency_ms, a.error, a.started_at, a.finished_at, d.state, d.trigger
            FROM outbound_attempt a JOIN outbound_delivery d ON d.delivery_id = a.delivery_id
            """;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OutboundQueryController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/api/v1/affiliates/{id}/postback")
    @Operation(summary = "An affiliate's postback templates and whether delivery is paused", security = @SecurityRequirement(name = "bearer"))
    public ObjectNode endpoint(Caller caller, @PathVariable("id") String affiliateId) {
        requireReader(caller);
        List<ObjectNode> rows = jdbc.query("""
                        SELECT e.version, e.templates::text, e.secret_prefix, e.secret_issued_at, e.paused, e.paused_at, e.pause_reason,
                               COALESCE(h.consecutive_failures, 0)
                        FROM outbound_endpoint e LEFT JOIN outbound_endpoint_health h ON h.affiliate_id = e.affiliate_id
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
                }, affiliateId, caller.tenantId().value());
        if (rows.isEmpty()) {
            throw ApiProblem.notFound("Postback endpoint");
        }
        return rows.get(0);
    }

    @GetMapping("/api/v1/outbound-settings")
    @Operation(summary = "The tenant's outbound postback settings", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Boolean> settings(Caller caller) {
        requireReader(caller);
        Boolean allow = jdbc.query("SELECT allow_private_targets FROM outbound_settings WHERE tenant_id = ?",
                rs -> rs.next() ? rs.getBoolean(1) : Boolean.FALSE, caller.tenantId().value());
        return Map.of("allowPrivateTargets", Boolean.TRUE.equals(allow));
    }

    @GetMapping("/api/v1/affiliates/{id}/postback-deliveries")
    @Operation(summary = "The affiliate's postback delivery log, newest first, ?limit= (max 200) &before=",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode byAffiliate(Caller caller, @PathVariable("id") String affiliateId,
                                  @RequestParam(name = "limit", required = false) Integer limit,
                                  @RequestParam(name = "before", required = false) Long before) {
        requireReader(caller);
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?)",
                Boolean.class, caller.tenantId().value(), ConfigEntityKinds.AFFILIATE, affiliateId));
        if (!exists) {
            throw ApiProblem.notFound("Affiliate");
        }
        return page(ATTEMPTS + " WHERE a.tenant_id = ? AND a.affiliate_id = ? AND a.attempt_seq < ? ORDER BY a.attempt_seq DESC LIMIT ?",
                caller, affiliateId, limit, before);
    }

    @GetMapping("/api/v1/conversions/{id}/postback-deliveries")
    @Operation(summary = "The postback delivery log of one conversion, newest first; 404 when it has none",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode byConversion(Caller caller, @PathVariable("id") String conversionId,
                                   @RequestParam(name = "limit", required = false) Integer limit,
                                   @RequestParam(name = "before", required = false) Long before) {
        requireReader(caller);
        ObjectNode page = page(ATTEMPTS + " WHERE a.tenant_id = ? AND a.conversion_id = ? AND a.attempt_seq < ? ORDER BY a.attempt_seq DESC LIMIT ?",
                caller, conversionId, limit, before);
        if (page.get("items").isEmpty() && before == null) {
            throw ApiProblem.notFound("Postback deliveries of this conversion");
        }
        return page;
    }

    private ObjectNode page(String sql, Caller caller, String key, Integer limit, Long before) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<ObjectNode> rows = jdbc.query(sql, (rs, i) -> attempt(rs), caller.tenantId().value(), key,
                before == null ? Long.MAX_VALUE : before, size + 1);
        ObjectNode page = json.createObjectNode();
        ArrayNode items = page.putArray("items");
        rows.stream().limit(size).forEach(items::add);
        if (rows.size() > size) {
            page.put("next", items.get(size - 1).get("seq").asLong());
        } else {
            page.putNull("next");
        }
        return page;
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

    private static void requireReader(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
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
