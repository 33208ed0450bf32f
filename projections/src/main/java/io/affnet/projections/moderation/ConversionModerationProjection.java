package io.affnet.projections.moderation;

import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.projections.ProcessingGroups;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * The moderation view: one row per credited conversion with its click, status, review hold and amounts
 * ({@code conversion_moderation}). Upserts by conversion id; a status or an amount changes only from the
 * status the event names, so a replay or a redelivery changes nothing.
 */
@Component
@ProcessingGroup(ConversionModerationProjection.GROUP)
public class ConversionModerationProjection {

    public static final String GROUP = ProcessingGroups.CORE_VIEWS;

    private final JdbcTemplate jdbc;

    public ConversionModerationProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ConversionRecordedEvent e) {
        jdbc.update("""
                        INSERT INTO conversion_moderation (conversion_id, tenant_id, click_id, offer_id, affiliate_id,
                            advertiser_id, goal, status, held, currency, revenue_minor, payout_minor, converted_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversion_id) DO NOTHING""",
                e.conversionId(), e.tenantId().value(), e.clickId(), e.offerId(), e.affiliateId(), e.advertiserId(), e.goal(),
                e.status().name(), e.flagged(), e.payout().currency(), e.revenue().minor(), e.payout().minor(),
                Timestamp.from(e.convertedAt()), Timestamp.from(e.convertedAt()));
    }

    @EventHandler
    void on(ConversionStatusChangedEvent e) {
        jdbc.update("UPDATE conversion_moderation SET status = ?, updated_at = ? WHERE conversion_id = ? AND status = ?",
                e.to().name(), Timestamp.from(e.changedAt()), e.conversionId(), e.from().name());
    }

    @EventHandler
    void on(ConversionAdjustedEvent e) {
        jdbc.update("""
                        UPDATE conversion_moderation SET revenue_minor = ?, payout_minor = ?, updated_at = ?
                        WHERE conversion_id = ? AND status = ?""",
                e.revenue().minor(), e.payout().minor(), Timestamp.from(e.adjustedAt()), e.conversionId(), e.status().name());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM conversion_moderation");
    }
}
