package io.affnet.query.report;

import io.affnet.api.tenant.ReportSharingRow;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The tenant's report-sharing setting, in the row layout its writer ({@code ReportSharingProjection}) keeps: {@link ReportSharingRow}. */
@Repository
public class ReportSharingReads {

    private final JdbcTemplate jdbc;

    public ReportSharingReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the tenant's advertisers see affiliate, link and sub-ID columns. */
    public boolean advertisersSeeAffiliates(String tenantId) {
        return Boolean.TRUE.equals(jdbc.query(ReportSharingRow.SELECT, ReportSharingRow::advertisersSeeAffiliates, tenantId));
    }
}
