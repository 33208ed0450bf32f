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
 * @param smartLink    the smart-link click's link and segment, for learning (null when the click was not
 *                     decided by a smart link, and on events recorded before this field existed)
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
        String flagged,
        SmartLinkContext smartLink) {

    /** A conversion on a click that no smart link decided. */
    public ConversionRecordedEvent(TenantId tenantId, String conversionId, String clickId, String offerId,
                                   String affiliateId, String advertiserId, String goal, String transactionId,
                                   ConversionStatus status, Money revenue, Money payout, Money sale, Money originalSale,
                                   ExchangeRate rate, Instant clickedAt, Instant convertedAt, String channel,
                                   String flagged) {
        this(tenantId, conversionId, clickId, offerId, affiliateId, advertiserId, goal, transactionId, status, revenue,
                payout, sale, originalSale, rate, clickedAt, convertedAt, channel, flagged, null);
    }
}
