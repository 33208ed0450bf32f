package io.affnet.projections.ledger;

import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * One row per credited conversion with the commission it carries and where it stands (pending,
 * approved, rejected, reversed); an affiliate's balances are sums over these rows. Upserts by
 * conversion id, and a status only moves forward, so a replay or a redelivery changes nothing.
 */
@Component
@ProcessingGroup(CommissionProjection.GROUP)
public class CommissionProjection {

    public static final String GROUP = io.affnet.projections.ProcessingGroups.CORE_VIEWS;

    private final JdbcTemplate jdbc;

    public CommissionProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ConversionRecordedEvent event) {
        jdbc.update("""
                        INSERT INTO affiliate_commission
                            (conversion_id, tenant_id, affiliate_id, offer_id, currency, amount_minor, status, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversion_id) DO NOTHING""",
                event.conversionId(), event.tenantId().value(), event.affiliateId(), event.offerId(),
                event.payout().currency(), event.payout().minor(), event.status().name(), Timestamp.from(event.convertedAt()));
    }

    @EventHandler
    void on(ConversionStatusChangedEvent event) {
        jdbc.update("UPDATE affiliate_commission SET status = ?, updated_at = ? WHERE conversion_id = ? AND status = ?",
                event.to().name(), Timestamp.from(event.changedAt()), event.conversionId(), event.from().name());
    }

    /** A moderator adjusted a pending conversion: its commission is the new payout. */
    @EventHandler
    void on(ConversionAdjustedEvent event) {
        jdbc.update("UPDATE affiliate_commission SET amount_minor = ?, updated_at = ? WHERE conversion_id = ? AND status = ?",
                event.payout().minor(), Timestamp.from(event.adjustedAt()), event.conversionId(), event.status().name());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM affiliate_commission");
    }
}
