package io.affnet.api.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The layout of {@code tenant_report_sharing}, one row per tenant that configured report sharing (no row:
 * advertisers do not see who sent their traffic). Written by {@code ReportSharingProjection} with
 * {@link #UPSERT}, read by query-side's {@code ReportSharingReads} with {@link #SELECT} and {@link #read}.
 */
public final class ReportSharingRow {

    public static final String TABLE = "tenant_report_sharing";

    /** Two parameters: the tenant id and whether its advertisers see affiliates. */
    public static final String UPSERT = "INSERT INTO " + TABLE + " (tenant_id, advertisers_see_affiliates) VALUES (?, ?)"
            + " ON CONFLICT (tenant_id) DO UPDATE SET advertisers_see_affiliates = excluded.advertisers_see_affiliates";

    /** Selects the column {@link #read} expects; one parameter, the tenant id. */
    public static final String SELECT = "SELECT advertisers_see_affiliates FROM " + TABLE + " WHERE tenant_id = ?";

    private ReportSharingRow() {
    }

    /** Whether the tenant's advertisers see affiliate, link and sub-ID columns, from a whole result of {@link #SELECT}. */
    public static boolean advertisersSeeAffiliates(ResultSet rs) throws SQLException {
        return rs.next() && rs.getBoolean(1);
    }
}
