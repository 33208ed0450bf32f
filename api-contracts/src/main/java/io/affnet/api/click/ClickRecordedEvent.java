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
 * @param region    ISO-3166-2 subdivision code from the IP database, when it has one (null otherwise and on
 *                  clicks recorded before GeoIP)
 * @param city      city name (English) from the IP database, when it has one
 * @param asn       the autonomous system the visitor's IP belongs to, when known
 * @param datacenter true when the visitor came from a hosting network and the offer asks such clicks to be
 *                  flagged (or refuses them); null otherwise
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
        Boolean unique,
        String region,
        String city,
        Long asn,
        Boolean datacenter) {

    public static final String AGGREGATE_TYPE = "Click";

    /** A click without network details (no region, city, ASN or data-centre flag). */
    public ClickRecordedEvent(TenantId tenantId, String clickId, String linkId, String linkCode, String affiliateId,
                              long affiliateVersion, String offerId, long offerVersion, OfferTerms terms,
                              List<PayoutOverride> payoutOverrides, Map<String, String> subs, Instant clickedAt,
                              String userAgent, String referrer, String deviceClass, String country, String ipHash,
                              String ipPrefix, ClickOutcome outcome, FallbackReason fallbackReason, Decision decision,
                              Boolean unique) {
        this(tenantId, clickId, linkId, linkCode, affiliateId, affiliateVersion, offerId, offerVersion, terms,
                payoutOverrides, subs, clickedAt, userAgent, referrer, deviceClass, country, ipHash, ipPrefix, outcome,
                fallbackReason, decision, unique, null, null, null, null);
    }

    /** Whether this click counts as a unique click (unknown counts as unique, see {@code unique}). */
    public boolean countsAsUnique() {
        return unique == null || unique;
    }

    /** This click with the unique flag set. */
    public ClickRecordedEvent withUnique(Boolean unique) {
        return new ClickRecordedEvent(tenantId, clickId, linkId, linkCode, affiliateId, affiliateVersion, offerId,
                offerVersion, terms, payoutOverrides, subs, clickedAt, userAgent, referrer, deviceClass, country, ipHash,
                ipPrefix, outcome, fallbackReason, decision, unique, region, city, asn, datacenter);
    }
}
