package io.affnet.api.conversion;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The network moderated a conversion: who, why, and what it changed. It precedes the events that carry
 * the change to every view ({@link ConversionStatusChangedEvent} with its commission event, exactly as a
 * postback's change, or {@link ConversionAdjustedEvent}), in the same commit.
 *
 * @param from     the status before
 * @param to       the status after (equal to {@code from} for an adjustment)
 * @param revenue  the revenue after (equal to {@code previousRevenue} unless adjusted)
 * @param payout   the payout after (equal to {@code previousPayout} unless adjusted)
 */
@Revision("1")
public record ConversionModeratedEvent(
        TenantId tenantId,
        String conversionId,
        String clickId,
        String offerId,
        String affiliateId,
        String advertiserId,
        ModerationAction action,
        ConversionStatus from,
        ConversionStatus to,
        String reason,
        String actorId,
        String actorRole,
        Money previousRevenue,
        Money previousPayout,
        Money revenue,
        Money payout,
        Instant moderatedAt) {
}
