package io.affnet.command.outbound;

import io.affnet.api.common.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the endpoint API needs to know of the outbound read models: whether an affiliate has an endpoint
 * ({@code outbound_endpoint}, written by its projection in the command's transaction), and clearing the
 * failure count the delivery worker keeps ({@code outbound_endpoint_health}) when an endpoint resumes.
 */
@Component
public class OutboundEndpoints {

    private final JdbcTemplate jdbc;

    public OutboundEndpoints(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(TenantId tenant, String affiliateId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outbound_endpoint WHERE affiliate_id = ? AND tenant_id = ?)",
                Boolean.class, affiliateId, tenant.value()));
    }

    /** Also when no pause event was recorded (a node died between counting the failures and pausing). */
    public void clearHealth(TenantId tenant, String affiliateId) {
        jdbc.update("DELETE FROM outbound_endpoint_health WHERE affiliate_id = ? AND tenant_id = ?", affiliateId,
                tenant.value());
    }
}
