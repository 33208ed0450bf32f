package io.affnet.projections.payout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.payout.PayoutMethodAddedEvent;
import io.affnet.api.payout.PayoutMethodConfirmedEvent;
import io.affnet.api.payout.PayoutTermsSetEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's payout terms ({@code payout_terms}) and its affiliates' payout methods ({@code payout_method}),
 * written in the transaction that appends their events (a subscribing processor): settings are in force from
 * the moment their request is answered.
 * <ul>
 *   <li>The ledger intake reads the terms to hold each new earning. In a tracking view, a conversion approved
 *       just after the PUT could be processed by the intake before the view caught up, and be held for the
 *       default period instead (seen in CI, where a two-second hold became thirty days).</li>
 *   <li>A run's preview pays the affiliates whose default method is confirmed: in a tracking view, an
 *       affiliate whose confirmation was answered could be left out of the next run.</li>
 * </ul>
 */
@Component
@ProcessingGroup(PayoutSettingsView.GROUP)
public class PayoutSettingsView {

    public static final String GROUP = "payout-settings";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public PayoutSettingsView(JdbcTemplate jdbc) {
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

    @EventHandler
    void on(PayoutMethodAddedEvent event) {
        var m = event.method();
        jdbc.update("""
                        INSERT INTO payout_method (tenant_id, method_id, affiliate_id, processor, destination, recipient_type,
                            currency, country, status, is_default, requested_by, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'AWAITING_CONFIRMATION', false, ?, ?)
                        ON CONFLICT (tenant_id, method_id) DO NOTHING""",
                event.tenantId().value(), m.methodId(), event.affiliateId(), m.processor(), m.destination(),
                m.recipientType() == null ? "" : m.recipientType(), m.currency(), m.country(), event.requestedBy(),
                Timestamp.from(event.at()));
    }

    @EventHandler
    void on(PayoutMethodConfirmedEvent event) {
        if (event.isDefault()) {
            jdbc.update("UPDATE payout_method SET is_default = false WHERE tenant_id = ? AND affiliate_id = ?",
                    event.tenantId().value(), event.affiliateId());
        }
        jdbc.update("""
                        UPDATE payout_method SET status = 'CONFIRMED', is_default = ?, confirmed_by = ?, updated_at = ?
                        WHERE tenant_id = ? AND method_id = ?""",
                event.isDefault(), event.confirmedBy(), Timestamp.from(event.at()), event.tenantId().value(), event.methodId());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
