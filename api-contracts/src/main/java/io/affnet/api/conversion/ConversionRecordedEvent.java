package io.affnet.api.conversion;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A conversion was credited to a click: what the advertiser owes (revenue) and the affiliate earns
 * (payout), computed from the terms the click captured, in the offer's currency.
 *
 * @param sale         the reported sale converted to the offer currency (null when none was reported)
 * @param originalSale the sale as reported, in its own currency (null when none)
 * @param rate         the exchange rate used (null when no conversion was needed)
 * @param flagged      a fraud rule matched in flag-only mode (the conversion is held as pending)
 */
@Revision("1")
public record ConversionRecordedEvent(
        TenantId tenantId,
        String conversionId,
        String clickId,
        String offerId,
        String affiliateId,
        String advertiserId,
        String goal,
        String transactionId,
        ConversionStatus status,
        Money revenue,
        Money payout,
        Money sale,
        Money originalSale,
        ExchangeRate rate,
        Instant clickedAt,
        Instant convertedAt,
        String channel,
        String flagged) {
}
