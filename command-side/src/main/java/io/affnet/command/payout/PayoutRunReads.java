package io.affnet.command.payout;

import io.affnet.api.common.Money;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutTerms;
import io.affnet.api.payout.PayoutTermsRow;
import io.affnet.domain.payout.PayoutRules;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the payout-run API reads from the payout read models ({@code payout_run}, {@code payout_run_item},
 * {@code ledger_line}, {@code payout_method}, {@code payout_terms}, written by the payout and ledger
 * projections; methods and terms with their events, by PayoutSettingsView), so the controller holds no SQL.
 */
@Repository
public class PayoutRunReads {

    private final JdbcTemplate jdbc;

    public PayoutRunReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean runExists(String tenantId, String runId) {
        Integer known = jdbc.queryForObject("SELECT count(*) FROM payout_run WHERE run_id = ? AND tenant_id = ?",
                Integer.class, runId, tenantId);
        return known != null && known > 0;
    }

    List<PayoutRunItem> runItems(String tenantId, String runId) {
        return jdbc.query("""
                        SELECT payout_id, affiliate_id, processor, amount_minor, amount_currency, paid_minor, paid_currency
                        FROM payout_run_item WHERE run_id = ? AND tenant_id = ? ORDER BY payout_id""",
                (rs, i) -> new PayoutRunItem(rs.getString(1), rs.getString(2), rs.getString(3), null, null, null,
                        new Money(rs.getLong(4), rs.getString(5)), new Money(rs.getLong(6), rs.getString(7)), null),
                runId, tenantId);
    }

    List<PayoutRules.Available> available(String tenantId, Instant asOf) {
        // The smaller of the balance at the period's end and now: a run pays what was available by the
        // end of its period and is still available.
        return jdbc.query("""
                        SELECT affiliate_id, currency,
                               least(coalesce(sum(amount_minor) FILTER (WHERE posted_at < ?), 0), sum(amount_minor))
                        FROM ledger_line WHERE tenant_id = ? AND account = 'AFFILIATE_AVAILABLE'
                        GROUP BY affiliate_id, currency""",
                (rs, i) -> new PayoutRules.Available(rs.getString(1), new Money(rs.getLong(3), rs.getString(2))),
                Timestamp.from(asOf), tenantId);
    }

    Map<String, PayoutMethod> defaultMethods(String tenantId) {
        Map<String, PayoutMethod> methods = new HashMap<>();
        jdbc.query("""
                        SELECT affiliate_id, method_id, processor, destination, recipient_type, currency, country
                        FROM payout_method WHERE tenant_id = ? AND status = 'CONFIRMED' AND is_default""",
                rs -> {
                    methods.put(rs.getString(1), new PayoutMethod(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }, tenantId);
        return methods;
    }

    /** The terms the tenant set, or empty if it never set any. */
    Optional<PayoutTerms> storedTerms(String tenantId) {
        return jdbc.query(PayoutTermsRow.SELECT, (rs, i) -> PayoutTermsRow.read(rs), tenantId).stream().findFirst();
    }

    PayoutTerms terms(String tenantId) {
        return storedTerms(tenantId).orElseGet(PayoutTerms::defaults);
    }
}
