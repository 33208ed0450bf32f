package io.affnet.projections.tenant;

import io.affnet.api.tenant.ReportSharingChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code tenant_report_sharing}, read by every advertiser's report (see {@code FieldGrants}). In
 * the subscribing group of the credential tables: a change holds from the moment its event commits.
 */
@Component
@ProcessingGroup(ApiKeyProjection.GROUP)
public class ReportSharingProjection {

    public static final String TABLE = "tenant_report_sharing";

    private final JdbcTemplate jdbc;

    public ReportSharingProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ReportSharingChangedEvent event) {
        jdbc.update("""
                        INSERT INTO tenant_report_sharing (tenant_id, advertisers_see_affiliates) VALUES (?, ?)
                        ON CONFLICT (tenant_id) DO UPDATE SET advertisers_see_affiliates = excluded.advertisers_see_affiliates""",
                event.tenantId().value(), event.advertisersSeeAffiliates());
    }

    /** Whether the tenant's advertisers see who sent their traffic (no row: no). */
    public static boolean advertisersSeeAffiliates(JdbcTemplate jdbc, String tenantId) {
        return Boolean.TRUE.equals(jdbc.query("SELECT advertisers_see_affiliates FROM tenant_report_sharing WHERE tenant_id = ?",
                rs -> rs.next() ? rs.getBoolean(1) : null, tenantId));
    }
}
