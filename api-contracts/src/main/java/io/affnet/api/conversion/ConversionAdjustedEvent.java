package io.affnet.api.conversion;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The amounts of a pending or approved conversion were adjusted by moderation ({@link ConversionModeratedEvent}
 * says who and why). Views replace the conversion's revenue and payout (in {@code status}, the status it had and
 * keeps); a later status change carries the new amounts. An approved conversion is on the affiliate's ledger
 * already: the ledger intake posts the difference ({@code EarningAdjustedEvent}).
 */
@Revision("1")
public record ConversionAdjustedEvent(
        TenantId tenantId,
        String conversionId,
        String clickId,
        String offerId,
        String affiliateId,
        String goal,
        String transactionId,
        ConversionStatus status,
        Money previousRevenue,
        Money previousPayout,
        Money revenue,
        Money payout,
        Instant adjustedAt) {
}
