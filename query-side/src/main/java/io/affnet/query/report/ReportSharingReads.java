package io.affnet.query.report;

import io.affnet.projections.tenant.ReportSharingProjection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The tenant's report-sharing setting, as its owner ({@link ReportSharingProjection}) reads it. */
@Repository
public class ReportSharingReads {

    private final JdbcTemplate jdbc;

    public ReportSharingReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the tenant's advertisers see affiliate, link and sub-ID columns. */
    public boolean advertisersSeeAffiliates(String tenantId) {
        return ReportSharingProjection.advertisersSeeAffiliates(jdbc, tenantId);
    }
}
