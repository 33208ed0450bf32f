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
 * @param unique    whether this is the visitor's first click on the offer within the unique-click window,
 *                  decided when the click was recorded (so replays and every report agree); null on clicks
 *                  recorded before the flag existed, or when the store that remembers visitors could not be
 *                  asked: such clicks count as unique
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
        Decision decision,
        Boolean unique) {

    public static final String AGGREGATE_TYPE = "Click";

    /** Whether this click counts as a unique click (unknown counts as unique, see {@code unique}). */
    public boolean countsAsUnique() {
        return unique == null || unique;
    }

    /** This click with the unique flag set. */
    public ClickRecordedEvent withUnique(Boolean unique) {
        return new ClickRecordedEvent(tenantId, clickId, linkId, linkCode, affiliateId, affiliateVersion, offerId,
                offerVersion, terms, payoutOverrides, subs, clickedAt, userAgent, referrer, deviceClass, country, ipHash,
                ipPrefix, outcome, fallbackReason, decision, unique);
    }
}
