package io.affnet.command.click;

import io.affnet.api.click.ClickMetaData;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.click.Decision;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.offer.OfferTerms;
import io.affnet.domain.click.ClickEligibility;
import io.affnet.domain.click.ClickRecords;
import io.affnet.domain.click.Visitor;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides what a click gets and records it: finds the link, its offers and affiliate, asks the domain's
 * {@link ClickEligibility} which offers may take the click (tenant, link, affiliate and offer status,
 * country, device, caps), picks one (for a smart link through {@link OfferSelector}), builds the redirect
 * and hands the click ({@link ClickRecords}) to the group-commit recorder. The
 * returned future completes when the click is durable; only then may the redirect be sent.
 */
public class ClickService {

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

    /**
     * What the visitor's request brought, already validated. {@code hosting}: the visitor's autonomous
     * system is a hosting network (data centre, cloud).
     */
    public record Visit(String code, Map<String, String> subs, String userAgent, String referrer, String deviceClass,
                        String country, String ipHash, String ipPrefix, String region, String city, Long asn,
                        boolean hosting) {

        Visitor visitor() {
            return new Visitor(subs, userAgent, referrer, deviceClass, country, ipHash, ipPrefix, region, city, asn,
                    hosting);
        }
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
        CachedAffiliate affiliate = config.affiliate(tenantId, link.settings().affiliateId()).orElse(null);
        List<CachedOffer> offers = new ArrayList<>(link.settings().offerIds().size());
        for (String offerId : link.settings().offerIds()) {
            config.offer(tenantId, offerId).ifPresent(offers::add);
        }
        Visitor visitor = visit.visitor();
        ClickEligibility.Candidates candidates = ClickEligibility.candidates(tenant.isPresent() && tenant.get().active(),
                link, offers, affiliate, visitor,
                (offerId, offerCaps) -> caps.capped(tenantId, offerId, link.settings().affiliateId(), offerCaps, timezone, now));

        CachedOffer chosen = null;
        Decision decision = null;
        if (!candidates.eligible().isEmpty()) {
            if (link.settings().smart()) {
                OfferSelector.Selection selection = selector.select(link, candidates.eligible(), visit, now);
                chosen = selection.offer();
                decision = selection.decision();
            } else {
                chosen = candidates.eligible().get(0);
            }
        }

        CachedOffer recordedOffer = chosen != null ? chosen : candidates.first();
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

        ClickRecordedEvent event = ClickRecords.recorded(clickId, link, affiliate, recordedOffer, visitor, now, outcome,
                candidates.reason(), decision);
        CompletableFuture<Void> committed = recorder.record(event, ClickMetaData.of(event));
        long maxAge = terms == null ? OfferTerms.DEFAULT_WINDOW_SECONDS : terms.attributionWindowSeconds();
        return Optional.of(new Answer(clickId, outcome, location, maxAge, committed));
    }

    private static Map<String, String> macroValues(String clickId, CachedLink link, String offerId, Map<String, String> subs) {
        Map<String, String> values = new HashMap<>(subs);
        values.put("click_id", clickId);
        values.put("affiliate_id", link.settings().affiliateId());
        values.put("offer_id", offerId);
        values.put("link_id", link.linkId());
        return values;
    }
}
