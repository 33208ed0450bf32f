package io.affnet.query.ledger;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.util.List;

/** Reads of the {@code affiliate_commission} view ({@code CommissionProjection} writes it). */
@Repository
public class CommissionReads {

    private final JdbcTemplate jdbc;

    public CommissionReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One currency's commission totals in minor units, summed exactly (PostgreSQL sums bigints as numeric). */
    public record Totals(String currency, BigDecimal pending, BigDecimal approved, BigDecimal reversed,
                         long pendingConversions, long approvedConversions) {
    }

    /** The affiliate's totals per currency, by currency. */
    public List<Totals> balances(String tenantId, String affiliateId) {
        return jdbc.query("""
                        SELECT currency,
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'PENDING'), 0),
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'APPROVED'), 0),
                               coalesce(sum(amount_minor) FILTER (WHERE status = 'REVERSED'), 0),
                               count(*) FILTER (WHERE status = 'PENDING'),
                               count(*) FILTER (WHERE status = 'APPROVED')
                        FROM affiliate_commission WHERE tenant_id = ? AND affiliate_id = ?
                        GROUP BY currency ORDER BY currency""",
                (rs, i) -> new Totals(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getLong(5), rs.getLong(6)), tenantId, affiliateId);
    }
}
