package io.affnet.projections.payout;

import io.affnet.api.payout.PayoutRefusedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutRunApprovedEvent;
import io.affnet.api.payout.PayoutRunCancelledEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutRunPreviewedEvent;
import io.affnet.api.payout.PayoutStateChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.Timestamp;

/**
 * The payout read models: runs and their items, payouts and their processor state (also the lookup
 * of a processor's reference back to a payout, for webhooks), payout terms and payout methods have their own view, written with their
 * events ({@link PayoutSettingsView}). Every
 * write is an upsert by natural key or an update to the state the event names, so a replay or a
 * redelivery leaves the same rows.
 */
@Component
@ProcessingGroup(PayoutProjection.GROUP)
public class PayoutProjection {

    public static final String GROUP = "payout-views";

    private final JdbcTemplate jdbc;

    public PayoutProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PayoutRunPreviewedEvent event) {
        jdbc.update("""
                        INSERT INTO payout_run (run_id, tenant_id, status, period_from, period_to, filter, created_by, created_at, updated_at)
                        VALUES (?, ?, 'PREVIEW', ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING""",
                event.runId(), event.tenantId().value(), event.periodFrom() == null ? null : Date.valueOf(event.periodFrom()),
                event.periodTo() == null ? null : Date.valueOf(event.periodTo()), event.filter(), event.createdBy(),
                Timestamp.from(event.at()), Timestamp.from(event.at()));
        writeItems(event.runId(), event.tenantId().value(), event.items());
    }

    @EventHandler
    void on(PayoutRunApprovedEvent event) {
        jdbc.update("UPDATE payout_run SET status = 'APPROVED', approved_by = ?, updated_at = ? WHERE run_id = ?",
                event.approvedBy(), Timestamp.from(event.at()), event.runId());
        writeItems(event.runId(), event.tenantId().value(), event.items());
    }

    @EventHandler
    void on(PayoutRunCancelledEvent event) {
        jdbc.update("UPDATE payout_run SET status = 'CANCELLED', approved_by = ?, updated_at = ? WHERE run_id = ?",
                event.cancelledBy(), Timestamp.from(event.at()), event.runId());
    }

    private void writeItems(String runId, String tenantId, java.util.List<PayoutRunItem> items) {
        jdbc.batchUpdate("""
                        INSERT INTO payout_run_item (run_id, payout_id, tenant_id, affiliate_id, processor, amount_minor,
                            amount_currency, paid_minor, paid_currency, fx_rate, fx_source)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (run_id, payout_id) DO UPDATE SET paid_minor = excluded.paid_minor,
                            paid_currency = excluded.paid_currency, fx_rate = excluded.fx_rate, fx_source = excluded.fx_source""",
                items.stream().map(i -> new Object[]{runId, i.payoutId(), tenantId, i.affiliateId(), i.processor(),
                        i.amount().minor(), i.amount().currency(), i.paid().minor(), i.paid().currency(),
                        i.quote() == null ? null : i.quote().rate(), i.quote() == null ? null : i.quote().source()}).toList());
    }

    @EventHandler
    void on(PayoutReservedEvent event) {
        PayoutRunItem i = event.item();
        jdbc.update("""
                        INSERT INTO payout (payout_id, tenant_id, affiliate_id, run_id, processor, method_id, destination,
                            amount_minor, amount_currency, paid_minor, paid_currency, fx_rate, fx_source, fx_quoted_at, state, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RESERVED', ?) ON CONFLICT (payout_id) DO NOTHING""",
                event.payoutId(), event.tenantId().value(), event.affiliateId(), event.runId(), i.processor(), i.methodId(),
                i.destination(), i.amount().minor(), i.amount().currency(), i.paid().minor(), i.paid().currency(),
                i.quote() == null ? null : i.quote().rate(), i.quote() == null ? null : i.quote().source(),
                i.quote() == null ? null : Timestamp.from(i.quote().quotedAt()), Timestamp.from(event.postedAt()));
    }

    @EventHandler
    void on(PayoutRefusedEvent event) {
        jdbc.update("""
                        INSERT INTO payout (payout_id, tenant_id, affiliate_id, run_id, state, reason, updated_at)
                        VALUES (?, ?, ?, ?, 'REFUSED', ?, ?) ON CONFLICT (payout_id) DO NOTHING""",
                event.payoutId(), event.tenantId().value(), event.affiliateId(), event.runId(), event.reason(),
                Timestamp.from(event.at()));
    }

    @EventHandler
    void on(PayoutStateChangedEvent event) {
        jdbc.update("""
                        UPDATE payout SET state = ?, reference = coalesce(?, reference),
                            batch_reference = coalesce(?, batch_reference), reason = coalesce(?, reason), updated_at = ?
                        WHERE payout_id = ?""",
                event.to().name(), event.reference(), event.batchReference(), event.reason(),
                Timestamp.from(event.postedAt()), event.payoutId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM payout_run_item");
        jdbc.update("DELETE FROM payout_run");
        jdbc.update("DELETE FROM payout");
    }
}
