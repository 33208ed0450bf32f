package io.affnet.projections.payout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.payout.PayoutTermsSetEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's payout terms ({@code payout_terms}), written in the transaction that appends
 * {@link PayoutTermsSetEvent} (a subscribing processor). The ledger intake reads them to hold each new
 * earning, so terms must be in force from the moment their PUT is answered: in a tracking view, a
 * conversion approved just after the PUT could be processed by the intake before the view caught up,
 * and be held for the default period instead (seen in CI, where a two-second hold became thirty days).
 */
@Component
@ProcessingGroup(PayoutTermsView.GROUP)
public class PayoutTermsView {

    public static final String GROUP = "payout-terms";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public PayoutTermsView(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PayoutTermsSetEvent event) {
        var t = event.terms();
        Map<String, Long> holds = new LinkedHashMap<>();
        t.offerHolds().forEach((offer, d) -> holds.put(offer, d.toMillis()));
        jdbc.update("""
                        INSERT INTO payout_terms (tenant_id, default_hold_millis, offer_holds, schedule, net_days, minimums,
                            negative_blocks, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (tenant_id) DO UPDATE SET default_hold_millis = excluded.default_hold_millis,
                            offer_holds = excluded.offer_holds, schedule = excluded.schedule, net_days = excluded.net_days,
                            minimums = excluded.minimums, negative_blocks = excluded.negative_blocks, updated_at = excluded.updated_at""",
                event.tenantId().value(), t.defaultHold().toMillis(), json(holds), t.schedule().name(), t.netDays(),
                json(t.minimumMinor()), t.negativeBalanceBlocks(), Timestamp.from(event.at()));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
