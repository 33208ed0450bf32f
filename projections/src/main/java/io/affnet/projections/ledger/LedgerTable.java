package io.affnet.projections.ledger;

import io.affnet.api.ledger.LedgerAccount;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The shape of {@code ledger_line} and the reads every module shares: balances per account and
 * currency at an instant. Written only by {@link LedgerProjection}.
 */
public final class LedgerTable {

    public static final String TABLE = "ledger_line";

    private LedgerTable() {
    }

    /** A balance as posted (credits positive) of one account, qualifier and currency. */
    public record Balance(String affiliateId, String currency, LedgerAccount account, String qualifier, long minor) {
    }

    /** An affiliate's balances per account and currency as of {@code asOf} (inclusive). */
    public static List<Balance> balances(JdbcTemplate jdbc, String tenantId, String affiliateId, Instant asOf) {
        return jdbc.query("""
                        SELECT affiliate_id, currency, account, qualifier, sum(amount_minor) FROM ledger_line
                        WHERE tenant_id = ? AND affiliate_id = ? AND posted_at <= ?
                        GROUP BY affiliate_id, currency, account, qualifier ORDER BY currency, account, qualifier""",
                (rs, i) -> new Balance(rs.getString(1), rs.getString(2), LedgerAccount.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getLong(5)), tenantId, affiliateId, Timestamp.from(asOf));
    }

    /** Every account's balance in the tenant per currency as of {@code asOf} (all affiliates summed). */
    public static List<Balance> tenantBalances(JdbcTemplate jdbc, String tenantId, Instant asOf) {
        return jdbc.query("""
                        SELECT currency, account, qualifier, sum(amount_minor) FROM ledger_line
                        WHERE tenant_id = ? AND posted_at <= ?
                        GROUP BY currency, account, qualifier ORDER BY currency, account, qualifier""",
                (rs, i) -> new Balance(null, rs.getString(1), LedgerAccount.valueOf(rs.getString(2)),
                        rs.getString(3), rs.getLong(4)), tenantId, Timestamp.from(asOf));
    }

    /** Available balance of every affiliate of the tenant per currency as of {@code asOf}. */
    public static List<Balance> available(JdbcTemplate jdbc, String tenantId, Instant asOf) {
        return jdbc.query("""
                        SELECT affiliate_id, currency, sum(amount_minor) FROM ledger_line
                        WHERE tenant_id = ? AND account = 'AFFILIATE_AVAILABLE' AND posted_at <= ?
                        GROUP BY affiliate_id, currency ORDER BY affiliate_id, currency""",
                (rs, i) -> new Balance(rs.getString(1), rs.getString(2), LedgerAccount.AFFILIATE_AVAILABLE, "",
                        rs.getLong(3)), tenantId, Timestamp.from(asOf));
    }
}
