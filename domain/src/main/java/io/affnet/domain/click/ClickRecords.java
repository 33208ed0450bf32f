package io.affnet.domain.click;

import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.click.Decision;
import io.affnet.api.click.FallbackReason;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.offer.DatacenterTraffic;

import java.time.Instant;
import java.util.List;

/**
 * Builds the {@link ClickRecordedEvent} a click is born from: what the link, affiliate and offer were at
 * that moment (terms and the affiliate's overrides for the offer, captured so later edits never change
 * what the click is worth), and what the visitor brought, with free text cut to {@link #MAX_FIELD}. A
 * click from a hosting network is flagged {@code datacenter} unless its offer allows such traffic.
 */
public final class ClickRecords {

    /** The longest user agent or referrer kept. */
    public static final int MAX_FIELD = 1024;

    private ClickRecords() {
    }

    /**
     * {@code offer} is the offer the click went to, or for a click that went elsewhere the link's first
     * (null when the link has none); {@code affiliate} null when unknown. The fallback reason is kept only
     * for a click that did not reach an offer.
     */
    public static ClickRecordedEvent recorded(String clickId, CachedLink link, CachedAffiliate affiliate, CachedOffer offer,
                                              Visitor visitor, Instant at, ClickOutcome outcome, FallbackReason reason,
                                              Decision decision) {
        List<PayoutOverride> overrides = offer == null || affiliate == null ? List.of()
                : affiliate.profile().payoutOverrides().stream().filter(o -> o.offerId().equals(offer.offerId())).toList();
        return new ClickRecordedEvent(TenantId.of(link.tenantId()), clickId, link.linkId(), link.code(),
                link.settings().affiliateId(), affiliate == null ? 0L : affiliate.version(),
                offer == null ? null : offer.offerId(), offer == null ? 0 : offer.version(),
                offer == null ? null : offer.terms(), overrides, visitor.subs(), at, truncate(visitor.userAgent()),
                truncate(visitor.referrer()), visitor.deviceClass(), visitor.country(), visitor.ipHash(),
                visitor.ipPrefix(), outcome, outcome == ClickOutcome.OFFER ? null : reason, decision, null,
                visitor.region(), visitor.city(), visitor.asn(), visitor.hosting() && offer != null
                        && offer.terms().datacenterPolicy() != DatacenterTraffic.ALLOW ? Boolean.TRUE : null);
    }

    private static String truncate(String value) {
        return value == null || value.length() <= MAX_FIELD ? value : value.substring(0, MAX_FIELD);
    }
}
