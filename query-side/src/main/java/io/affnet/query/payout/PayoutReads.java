package io.affnet.query.payout;

import io.affnet.query.payout.PayoutQueryController.AccountBalance;
import io.affnet.query.payout.PayoutQueryController.Method;
import io.affnet.query.payout.PayoutQueryController.Payout;
import io.affnet.query.payout.PayoutQueryController.RunSummary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads of the money views ({@code LedgerProjection} and {@code PayoutProjection} write them): ledger lines,
 * payouts, payout methods (destinations masked), payout runs and their items. Every read is within one tenant.
 */
@Repository
public class PayoutReads {

    private static final String PAYOUT_COLUMNS = """
            SELECT payout_id, run_id, affiliate_id, processor, destination, amount_minor, amount_currency,
                   paid_minor, paid_currency, fx_rate, fx_source, fx_quoted_at, state, reference, reason, updated_at
            FROM payout WHERE tenant_id = ?""";
    private static final String RUN_COLUMNS = """
            SELECT run_id, status, period_from, period_to, created_by, approved_by, created_at FROM payout_run
            WHERE tenant_id = ?""";

    private final JdbcTemplate jdbc;

    public PayoutReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One line of a ledger entry. */
    public record LedgerLine(String entryId, String kind, String reference, String currency, Instant postedAt,
                             String account, String qualifier, long minor) {
    }

    /** The affiliate's own accounts' balances per currency, as of {@code at}. */
    public Map<String, List<AccountBalance>> affiliateAccounts(String tenantId, String affiliateId, Instant at) {
        return accounts("""
                SELECT currency, account, qualifier, sum(amount_minor) FROM ledger_line
                WHERE tenant_id = ? AND affiliate_id = ? AND posted_at <= ? AND account LIKE 'AFFILIATE_%'
                GROUP BY currency, account, qualifier ORDER BY currency, account, qualifier""",
                tenantId, affiliateId, Timestamp.from(at));
    }

    /** Every account's balance per currency of the tenant, as of {@code at}. */
    public Map<String, List<AccountBalance>> tenantAccounts(String tenantId, Instant at) {
        return accounts("""
                SELECT currency, account, qualifier, sum(amount_minor) FROM ledger_line
                WHERE tenant_id = ? AND posted_at <= ?
                GROUP BY currency, account, qualifier ORDER BY currency, account, qualifier""",
                tenantId, Timestamp.from(at));
    }

    private Map<String, List<AccountBalance>> accounts(String sql, Object... arguments) {
        Map<String, List<AccountBalance>> byCurrency = new TreeMap<>();
        jdbc.query(sql, rs -> {
            byCurrency.computeIfAbsent(rs.getString(1), c -> new ArrayList<>())
                    .add(new AccountBalance(rs.getString(2), rs.getString(3), rs.getLong(4)));
        }, arguments);
        return byCurrency;
    }

    /** Up to {@code limit} of the affiliate's entries after ({@code afterAt}, {@code afterEntry}): {posted at, entry id}. */
    public List<String[]> entryKeys(String tenantId, String affiliateId, Instant afterAt, String afterEntry, int limit) {
        return jdbc.query("""
                        SELECT DISTINCT posted_at, entry_id FROM ledger_line
                        WHERE tenant_id = ? AND affiliate_id = ? AND (posted_at, entry_id) > (?, ?)
                        ORDER BY posted_at, entry_id LIMIT ?""",
                (rs, i) -> new String[]{rs.getTimestamp(1).toInstant().toString(), rs.getString(2)},
                tenantId, affiliateId, Timestamp.from(afterAt), afterEntry, limit);
    }

    /** The lines of these entries, by entry and line number. */
    public List<LedgerLine> lines(String tenantId, List<String> entryIds) {
        if (entryIds.isEmpty()) {
            return List.of();
        }
        List<Object> arguments = new ArrayList<>(List.of(tenantId));
        arguments.addAll(entryIds);
        String in = String.join(",", Collections.nCopies(entryIds.size(), "?"));
        return jdbc.query("SELECT entry_id, kind, reference, currency, posted_at, account, qualifier, amount_minor FROM ledger_line"
                        + " WHERE tenant_id = ? AND entry_id IN (" + in + ") ORDER BY entry_id, line_no",
                (rs, i) -> new LedgerLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getLong(8)),
                arguments.toArray());
    }

    /** The affiliate's payout methods, destinations masked. */
    public List<Method> methods(String tenantId, String affiliateId) {
        return jdbc.query("""
                        SELECT method_id, processor, destination, currency, country, status, is_default, updated_at
                        FROM payout_method WHERE tenant_id = ? AND affiliate_id = ? ORDER BY updated_at, method_id""",
                (rs, i) -> new Method(rs.getString(1), rs.getString(2), PayoutQueryController.mask(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getTimestamp(8).toInstant()),
                tenantId, affiliateId);
    }

    /** The tenant's latest 200 runs, newest first. */
    public List<RunSummary> runs(String tenantId) {
        return jdbc.query(RUN_COLUMNS + " ORDER BY created_at DESC LIMIT 200", (rs, i) -> runSummary(rs), tenantId);
    }

    public Optional<RunSummary> run(String tenantId, String runId) {
        return jdbc.query(RUN_COLUMNS + " AND run_id = ?", (rs, i) -> runSummary(rs), tenantId, runId).stream().findFirst();
    }

    /** A run's items with their payouts' states ({@code NOT_STARTED} before a payout exists), by payout id. */
    public List<Map<String, Object>> runItems(String tenantId, String runId) {
        return jdbc.query("""
                        SELECT i.payout_id, i.affiliate_id, i.processor, i.amount_minor, i.amount_currency, i.paid_minor,
                               i.paid_currency, i.fx_rate, i.fx_source, coalesce(p.state, 'NOT_STARTED')
                        FROM payout_run_item i LEFT JOIN payout p ON p.payout_id = i.payout_id
                        WHERE i.tenant_id = ? AND i.run_id = ? ORDER BY i.payout_id""",
                (rs, i) -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("payoutId", rs.getString(1));
                    item.put("affiliateId", rs.getString(2));
                    item.put("processor", rs.getString(3));
                    item.put("amountMinor", rs.getLong(4));
                    item.put("amountCurrency", rs.getString(5));
                    item.put("paidMinor", rs.getLong(6));
                    item.put("paidCurrency", rs.getString(7));
                    item.put("fxRate", rs.getString(8));
                    item.put("fxSource", rs.getString(9));
                    item.put("state", rs.getString(10));
                    return item;
                }, tenantId, runId);
    }

    public Optional<Payout> payout(String tenantId, String payoutId) {
        return jdbc.query(PAYOUT_COLUMNS + " AND payout_id = ?", (rs, i) -> payoutOf(rs), tenantId, payoutId).stream().findFirst();
    }

    /** The affiliate's latest 500 payouts, newest first. */
    public List<Payout> payoutsOfAffiliate(String tenantId, String affiliateId) {
        return jdbc.query(PAYOUT_COLUMNS + " AND affiliate_id = ? ORDER BY updated_at DESC, payout_id LIMIT 500",
                (rs, i) -> payoutOf(rs), tenantId, affiliateId);
    }

    /** One ledger entry's effect on what the affiliate is owed (pending + available), with its payout's FX. */
    public record Movement(Instant postedAt, String kind, String reference, String currency, long minor, String fxRate,
                           String paidCurrency, Long paidMinor) {
    }

    /** What the affiliate was owed (pending + available) before {@code start}, per currency. */
    public Map<String, Long> owedBefore(String tenantId, String affiliateId, Instant start) {
        Map<String, Long> owed = new TreeMap<>();
        jdbc.query("""
                        SELECT currency, sum(amount_minor) FROM ledger_line WHERE tenant_id = ? AND affiliate_id = ?
                        AND account IN ('AFFILIATE_PENDING', 'AFFILIATE_AVAILABLE') AND posted_at < ? GROUP BY currency""",
                rs -> {
                    owed.put(rs.getString(1), rs.getLong(2));
                }, tenantId, affiliateId, Timestamp.from(start));
        return owed;
    }

    /** Each entry in [{@code start}, {@code end}) that moved what the affiliate is owed, oldest first. */
    public List<Movement> owedMovements(String tenantId, String affiliateId, Instant start, Instant end) {
        return jdbc.query("""
                        SELECT l.posted_at, l.kind, l.reference, l.currency,
                               sum(l.amount_minor) FILTER (WHERE l.account IN ('AFFILIATE_PENDING', 'AFFILIATE_AVAILABLE')),
                               p.fx_rate, p.paid_currency, p.paid_minor
                        FROM ledger_line l LEFT JOIN payout p ON p.payout_id = l.reference AND l.kind LIKE 'PAYOUT_%'
                        WHERE l.tenant_id = ? AND l.affiliate_id = ? AND l.posted_at >= ? AND l.posted_at < ?
                          AND l.kind IN ('EARNING', 'ADJUSTMENT', 'REVERSAL', 'PAYOUT_RESERVED', 'PAYOUT_FAILED', 'PAYOUT_RETURNED', 'PAYOUT_REVERSED')
                        GROUP BY l.entry_id, l.posted_at, l.kind, l.reference, l.currency, p.fx_rate, p.paid_currency, p.paid_minor
                        HAVING coalesce(sum(l.amount_minor) FILTER (WHERE l.account IN ('AFFILIATE_PENDING', 'AFFILIATE_AVAILABLE')), 0) <> 0
                        ORDER BY l.posted_at, l.entry_id""",
                (rs, i) -> new Movement(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getString(7), (Long) rs.getObject(8)),
                tenantId, affiliateId, Timestamp.from(start), Timestamp.from(end));
    }

    private static Payout payoutOf(ResultSet rs) throws SQLException {
        return new Payout(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                PayoutQueryController.mask(rs.getString(5)), (Long) rs.getObject(6), rs.getString(7),
                (Long) rs.getObject(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getTimestamp(12) == null ? null : rs.getTimestamp(12).toInstant(), rs.getString(13), rs.getString(14),
                rs.getString(15), rs.getTimestamp(16).toInstant());
    }

    private static RunSummary runSummary(ResultSet rs) throws SQLException {
        return new RunSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getTimestamp(7).toInstant());
    }
}
