package io.affnet.command.click;

import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.click.Decision;
import io.affnet.api.click.FallbackReason;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.messaging.MetaData;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides what a click gets and records it: finds the link, picks the offer (for a smart link through
 * {@link OfferSelector}), checks that the tenant, link, affiliate and offer may take the click (status,
 * caps, country, device), builds the redirect and hands the click to the group-commit recorder. The
 * returned future completes when the click is durable; only then may the redirect be sent.
 */
public class ClickService {

    public static final int MAX_FIELD = 1024;

    private final ClickConfigCache config;
    private final CapGate caps;
    private final OfferSelector selector;
    private final ClickRecorder recorder;
    private final Clock clock;

    public ClickService(ClickConfigCache config, CapGate caps, OfferSelector selector, ClickRecorder recorder, Clock clock) {
        this.config = config;
        this.caps = caps;
        this.selector = selector;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** What the visitor's request brought, already validated. */
    public record Visit(String code, Map<String, String> subs, String userAgent, String referrer, String deviceClass,
                        String country, String ipHash, String ipPrefix) {
    }

    /** Where to send the visitor, once {@code committed} completes. */
    public record Answer(String clickId, ClickOutcome outcome, String location, long cookieMaxAgeSeconds,
                         CompletableFuture<Void> committed) {
    }

    /** Empty when the code belongs to no link (nothing is recorded: there is no tenant to record it for). */
    public Optional<Answer> click(Visit visit) {
        Optional<CachedLink> found = config.link(visit.code());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CachedLink link = found.get();
        String tenantId = link.tenantId();
        Instant now = clock.instant();
        String clickId = ClickIds.next();

        Optional<ClickConfigCache.TenantState> tenant = config.tenant(tenantId);
        String timezone = tenant.map(ClickConfigCache.TenantState::timezone).orElse("UTC");
        Optional<CachedAffiliate> affiliate = config.affiliate(tenantId, link.settings().affiliateId());

        FallbackReason reason = null;
        if (tenant.isEmpty() || !tenant.get().active()) {
            reason = FallbackReason.TENANT_SUSPENDED;
        } else if (link.settings().status() == LinkStatus.DISABLED) {
            reason = FallbackReason.LINK_DISABLED;
        } else if (affiliate.isEmpty() || affiliate.get().profile().status() == AffiliateStatus.SUSPENDED) {
            reason = FallbackReason.AFFILIATE_SUSPENDED;
        }

        List<CachedOffer> candidates = new ArrayList<>(link.settings().offerIds().size());
        FallbackReason firstExclusion = null;
        CachedOffer firstOffer = null;
        for (String offerId : link.settings().offerIds()) {
            Optional<CachedOffer> offer = config.offer(tenantId, offerId);
            if (offer.isEmpty()) {
                continue;
            }
            if (firstOffer == null) {
                firstOffer = offer.get();
            }
            FallbackReason exclusion = reason != null ? reason : exclusion(offer.get(), link, visit, timezone, now);
            if (exclusion == null) {
                candidates.add(offer.get());
            } else if (firstExclusion == null) {
                firstExclusion = exclusion;
            }
        }

        CachedOffer chosen = null;
        Decision decision = null;
        if (reason == null && !candidates.isEmpty()) {
            if (link.settings().smart()) {
                OfferSelector.Selection selection = selector.select(link, candidates, visit, now);
                chosen = selection.offer();
                decision = selection.decision();
            } else {
                chosen = candidates.get(0);
            }
        } else if (reason == null) {
            reason = firstExclusion != null ? firstExclusion : FallbackReason.NO_ELIGIBLE_OFFER;
        }

        CachedOffer recordedOffer = chosen != null ? chosen : firstOffer;
        OfferTerms terms = recordedOffer == null ? null : recordedOffer.terms();
        ClickOutcome outcome;
        String location;
        if (chosen != null) {
            outcome = ClickOutcome.OFFER;
            location = UrlTemplate.fill(terms.destinationUrl(), macroValues(clickId, link, chosen.offerId(), visit.subs()));
        } else if (terms != null && terms.fallbackUrl() != null) {
            outcome = ClickOutcome.FALLBACK;
            location = UrlTemplate.fill(terms.fallbackUrl(),
                    macroValues(clickId, link, recordedOffer.offerId(), visit.subs()));
        } else {
            outcome = ClickOutcome.NOT_SERVED;
            location = null;
        }

        List<PayoutOverride> overrides = recordedOffer == null || affiliate.isEmpty() ? List.of()
                : affiliate.get().profile().payoutOverrides().stream()
                .filter(o -> o.offerId().equals(recordedOffer.offerId())).toList();
        ClickRecordedEvent event = new ClickRecordedEvent(TenantId.of(tenantId), clickId, link.linkId(), link.code(),
                link.settings().affiliateId(), affiliate.map(CachedAffiliate::version).orElse(0L),
                recordedOffer == null ? null : recordedOffer.offerId(), recordedOffer == null ? 0 : recordedOffer.version(),
                terms, overrides, visit.subs(), now, truncate(visit.userAgent()), truncate(visit.referrer()),
                visit.deviceClass(), visit.country(), visit.ipHash(), visit.ipPrefix(), outcome,
                outcome == ClickOutcome.OFFER ? null : reason, decision, null);
        CompletableFuture<Void> committed = recorder.record(event, MetaData.with("tenantId", tenantId));
        long maxAge = terms == null ? OfferTerms.DEFAULT_WINDOW_SECONDS : terms.attributionWindowSeconds();
        return Optional.of(new Answer(clickId, outcome, location, maxAge, committed));
    }

    private FallbackReason exclusion(CachedOffer offer, CachedLink link, Visit visit, String timezone, Instant now) {
        OfferTerms terms = offer.terms();
        if (terms.status() == OfferStatus.PAUSED) {
            return FallbackReason.OFFER_PAUSED;
        }
        if (terms.allowedCountries() != null && !terms.allowedCountries().isEmpty()
                && (visit.country() == null || !terms.allowedCountries().contains(visit.country()))) {
            return FallbackReason.COUNTRY_NOT_ALLOWED;
        }
        if (terms.allowedDeviceClasses() != null && !terms.allowedDeviceClasses().isEmpty()
                && !terms.allowedDeviceClasses().contains(visit.deviceClass())) {
            return FallbackReason.DEVICE_NOT_ALLOWED;
        }
        if (caps.capped(link.tenantId(), offer.offerId(), link.settings().affiliateId(), terms.caps(), timezone, now)) {
            return FallbackReason.CAP_REACHED;
        }
        return null;
    }

    private static Map<String, String> macroValues(String clickId, CachedLink link, String offerId, Map<String, String> subs) {
        Map<String, String> values = new HashMap<>(subs);
        values.put("click_id", clickId);
        values.put("affiliate_id", link.settings().affiliateId());
        values.put("offer_id", offerId);
        values.put("link_id", link.linkId());
        return values;
    }

    private static String truncate(String value) {
        return value == null || value.length() <= MAX_FIELD ? value : value.substring(0, MAX_FIELD);
    }
}
