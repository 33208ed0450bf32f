package io.affnet.domain.click;

import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.click.FallbackReason;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.DatacenterTraffic;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a link's offers may take a click: the rule a business person calls "eligible click". The
 * tenant must be active, the link enabled, the affiliate known and not suspended; an offer must be
 * running, allow the visitor's country and device (and data-centre traffic, if the visitor comes from
 * a hosting network) and be under its caps. Pure: the caller looks the
 * link, offers, affiliate and cap counters up and passes them in.
 */
public final class ClickEligibility {

    private ClickEligibility() {
    }

    /** The verdict for one offer: eligible, or a fallback with the reason. */
    public sealed interface Verdict permits Eligible, Fallback {
    }

    public record Eligible() implements Verdict {
    }

    public record Fallback(FallbackReason reason) implements Verdict {
    }

    /** Whether an offer has reached one of its caps (the click path asks its counters). */
    @FunctionalInterface
    public interface CapCheck {
        boolean reached(String offerId, Caps caps);
    }

    /**
     * The outcome over all of a link's offers: those that may take the click, in the link's order; the
     * first offer (recorded on a click that goes to the fallback); and, when none may, the reason.
     */
    public record Candidates(List<CachedOffer> eligible, CachedOffer first, FallbackReason reason) {
    }

    private static final Eligible ELIGIBLE = new Eligible();
    private static final Map<FallbackReason, Fallback> FALLBACKS = new EnumMap<>(FallbackReason.class);

    static {
        for (FallbackReason reason : FallbackReason.values()) {
            FALLBACKS.put(reason, new Fallback(reason));
        }
    }

    /** One offer of the link, for this visitor. {@code affiliate} null: the link's affiliate is unknown. */
    public static Verdict decide(boolean tenantActive, CachedLink link, CachedOffer offer, CachedAffiliate affiliate,
                                 Visitor visitor, CapCheck caps) {
        FallbackReason reason = linkReason(tenantActive, link, affiliate);
        if (reason == null) {
            reason = offerReason(offer, visitor, caps);
        }
        return reason == null ? ELIGIBLE : FALLBACKS.get(reason);
    }

    /**
     * All of the link's offers that exist ({@code offers}, in the link's order). When none is eligible the
     * reason is the link's own (tenant, link, affiliate), else the first offer's exclusion, else
     * {@link FallbackReason#NO_ELIGIBLE_OFFER}.
     */
    public static Candidates candidates(boolean tenantActive, CachedLink link, List<CachedOffer> offers,
                                        CachedAffiliate affiliate, Visitor visitor, CapCheck caps) {
        CachedOffer first = offers.isEmpty() ? null : offers.get(0);
        FallbackReason linkReason = linkReason(tenantActive, link, affiliate);
        if (linkReason != null) {
            return new Candidates(List.of(), first, linkReason);
        }
        List<CachedOffer> eligible = new ArrayList<>(offers.size());
        FallbackReason firstExclusion = null;
        for (CachedOffer offer : offers) {
            Verdict verdict = decide(true, link, offer, affiliate, visitor, caps);
            if (verdict instanceof Fallback fallback) {
                if (firstExclusion == null) {
                    firstExclusion = fallback.reason();
                }
            } else {
                eligible.add(offer);
            }
        }
        FallbackReason reason = !eligible.isEmpty() ? null
                : firstExclusion != null ? firstExclusion : FallbackReason.NO_ELIGIBLE_OFFER;
        return new Candidates(eligible, first, reason);
    }

    private static FallbackReason linkReason(boolean tenantActive, CachedLink link, CachedAffiliate affiliate) {
        if (!tenantActive) {
            return FallbackReason.TENANT_SUSPENDED;
        }
        if (link.settings().status() == LinkStatus.DISABLED) {
            return FallbackReason.LINK_DISABLED;
        }
        if (affiliate == null || affiliate.profile().status() == AffiliateStatus.SUSPENDED) {
            return FallbackReason.AFFILIATE_SUSPENDED;
        }
        return null;
    }

    private static FallbackReason offerReason(CachedOffer offer, Visitor visitor, CapCheck caps) {
        OfferTerms terms = offer.terms();
        if (terms.status() == OfferStatus.PAUSED) {
            return FallbackReason.OFFER_PAUSED;
        }
        if (terms.allowedCountries() != null && !terms.allowedCountries().isEmpty()
                && (visitor.country() == null || !terms.allowedCountries().contains(visitor.country()))) {
            return FallbackReason.COUNTRY_NOT_ALLOWED;
        }
        if (terms.allowedDeviceClasses() != null && !terms.allowedDeviceClasses().isEmpty()
                && !terms.allowedDeviceClasses().contains(visitor.deviceClass())) {
            return FallbackReason.DEVICE_NOT_ALLOWED;
        }
        if (visitor.hosting() && terms.datacenterPolicy() == DatacenterTraffic.REFUSE) {
            return FallbackReason.DATACENTER_TRAFFIC;
        }
        if (caps.reached(offer.offerId(), terms.caps())) {
            return FallbackReason.CAP_REACHED;
        }
        return null;
    }
}
