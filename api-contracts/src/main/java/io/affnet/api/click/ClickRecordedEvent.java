package io.affnet.api.click;

import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.common.TenantId;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A visitor followed a tracking link. It captures the offer's terms and the affiliate's payout
 * overrides in force at that moment, so later edits never change what this click is worth.
 * The IP is kept only as a keyed hash (for fraud rules and unique counts) and a truncated prefix.
 *
 * @param subs      sub1..sub10 and source, keyed by those names; absent keys were not sent
 * @param offerId   the offer the click was for (for a smart link, the chosen one; null if none was eligible)
 * @param decision  set for smart links only
 */
@Revision("1")
public record ClickRecordedEvent(
        TenantId tenantId,
        String clickId,
        String linkId,
        String linkCode,
        String affiliateId,
        long affiliateVersion,
        String offerId,
        long offerVersion,
        OfferTerms terms,
        List<PayoutOverride> payoutOverrides,
        Map<String, String> subs,
        Instant clickedAt,
        String userAgent,
        String referrer,
        String deviceClass,
        String country,
        String ipHash,
        String ipPrefix,
        ClickOutcome outcome,
        FallbackReason fallbackReason,
        Decision decision) {

    public static final String AGGREGATE_TYPE = "Click";
}
