package io.affnet.projections.tenant;

import io.affnet.api.tenant.ReportSharingChangedEvent;
import io.affnet.api.tenant.ReportSharingRow;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code tenant_report_sharing} ({@link ReportSharingRow}), read by every advertiser's report (see
 * query-side's {@code ReportSharingReads} and {@code FieldGrants}). In
 * the subscribing group of the credential tables: a change holds from the moment its event commits.
 */
@Component
@ProcessingGroup(ApiKeyProjection.GROUP)
public class ReportSharingProjection {

    private final JdbcTemplate jdbc;

    public ReportSharingProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ReportSharingChangedEvent event) {
        jdbc.update(ReportSharingRow.UPSERT, event.tenantId().value(), event.advertisersSeeAffiliates());
    }
}
