package io.affnet.domain.click;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.click.FallbackReason;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClickEligibilityTest {

    private static final CachedLink LINK = link(LinkStatus.ACTIVE);
    private static final CachedAffiliate AFFILIATE = affiliate(AffiliateStatus.ACTIVE);
    private static final Visitor DE_DESKTOP = new Visitor(Map.of(), "ua", null, "desktop", "DE", "h", "1.2.3.0/24", null, null, null, false);
    private static final ClickEligibility.CapCheck UNCAPPED = (offerId, caps) -> false;

    private static CachedLink link(LinkStatus status) {
        return new CachedLink("t_1", "lnk_1", "code", 1, new LinkSettings("aff_1", List.of("off_1", "off_2"), null, Map.of(), status));
    }

    private static CachedAffiliate affiliate(AffiliateStatus status) {
        return new CachedAffiliate("t_1", "aff_1", 3, new AffiliateProfile("A", "a@example.com", status, List.of()));
    }

    private static CachedOffer offer(String id, OfferStatus status, Set<String> countries, Set<String> devices) {
        return new CachedOffer("t_1", id, 1, new OfferTerms("Shoes", "adv_1", "https://a.example/?c={click_id}", "EUR",
                status, List.of(new Goal("lead", Amount.fixed(500), Amount.fixed(300))), 3600, Caps.none(), countries,
                devices, null));
    }

    private static final CachedOffer RUNNING = offer("off_1", OfferStatus.ACTIVE, Set.of(), Set.of());

    @Test
    void aRunningOfferOfAnActiveTenantLinkAndAffiliateIsEligible() {
        assertThat(ClickEligibility.decide(true, LINK, RUNNING, AFFILIATE, DE_DESKTOP, UNCAPPED))
                .isInstanceOf(ClickEligibility.Eligible.class);
    }

    @Test
    void theTenantLinkAndAffiliateAreCheckedBeforeTheOffer() {
        CachedOffer paused = offer("off_1", OfferStatus.PAUSED, Set.of(), Set.of());
        assertThat(ClickEligibility.decide(false, link(LinkStatus.DISABLED), paused, null, DE_DESKTOP, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.TENANT_SUSPENDED));
        assertThat(ClickEligibility.decide(true, link(LinkStatus.DISABLED), paused, null, DE_DESKTOP, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.LINK_DISABLED));
        assertThat(ClickEligibility.decide(true, LINK, paused, null, DE_DESKTOP, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.AFFILIATE_SUSPENDED));
        assertThat(ClickEligibility.decide(true, LINK, paused, affiliate(AffiliateStatus.SUSPENDED), DE_DESKTOP, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.AFFILIATE_SUSPENDED));
        assertThat(ClickEligibility.decide(true, LINK, paused, AFFILIATE, DE_DESKTOP, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.OFFER_PAUSED));
    }

    @Test
    void anOfferExcludesVisitorsFromOtherCountriesAndDevicesAndIsSkippedAtItsCap() {
        assertThat(ClickEligibility.decide(true, LINK, offer("off_1", OfferStatus.ACTIVE, Set.of("FR"), Set.of()), AFFILIATE,
                DE_DESKTOP, UNCAPPED)).isEqualTo(new ClickEligibility.Fallback(FallbackReason.COUNTRY_NOT_ALLOWED));
        Visitor unknownCountry = new Visitor(Map.of(), "ua", null, "desktop", null, "h", "p", null, null, null, false);
        assertThat(ClickEligibility.decide(true, LINK, offer("off_1", OfferStatus.ACTIVE, Set.of("DE"), Set.of()), AFFILIATE,
                unknownCountry, UNCAPPED)).isEqualTo(new ClickEligibility.Fallback(FallbackReason.COUNTRY_NOT_ALLOWED));
        assertThat(ClickEligibility.decide(true, LINK, offer("off_1", OfferStatus.ACTIVE, Set.of("DE"), Set.of("mobile")),
                AFFILIATE, DE_DESKTOP, UNCAPPED)).isEqualTo(new ClickEligibility.Fallback(FallbackReason.DEVICE_NOT_ALLOWED));
        assertThat(ClickEligibility.decide(true, LINK, RUNNING, AFFILIATE, DE_DESKTOP, (offerId, caps) -> offerId.equals("off_1")))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.CAP_REACHED));
    }

    @Test
    void capsAreAskedOnlyForOffersThatPassEveryOtherRule() {
        List<String> asked = new java.util.ArrayList<>();
        ClickEligibility.candidates(true, LINK, List.of(offer("off_1", OfferStatus.PAUSED, Set.of(), Set.of()),
                offer("off_2", OfferStatus.ACTIVE, Set.of(), Set.of())), AFFILIATE, DE_DESKTOP, (offerId, caps) -> {
            asked.add(offerId);
            return false;
        });
        assertThat(asked).containsExactly("off_2");
    }

    @Test
    void candidatesKeepTheLinksOrderAndTheFirstOffer() {
        CachedOffer paused = offer("off_1", OfferStatus.PAUSED, Set.of(), Set.of());
        CachedOffer second = offer("off_2", OfferStatus.ACTIVE, Set.of(), Set.of());
        ClickEligibility.Candidates c = ClickEligibility.candidates(true, LINK, List.of(paused, second), AFFILIATE,
                DE_DESKTOP, UNCAPPED);
        assertThat(c.eligible()).containsExactly(second);
        assertThat(c.first()).isEqualTo(paused);
        assertThat(c.reason()).isNull();
    }

    @Test
    void withNoEligibleOfferTheReasonIsTheLinksOwnThenTheFirstExclusion() {
        CachedOffer paused = offer("off_1", OfferStatus.PAUSED, Set.of(), Set.of());
        CachedOffer elsewhere = offer("off_2", OfferStatus.ACTIVE, Set.of("FR"), Set.of());
        assertThat(ClickEligibility.candidates(true, LINK, List.of(paused, elsewhere), AFFILIATE, DE_DESKTOP, UNCAPPED).reason())
                .isEqualTo(FallbackReason.OFFER_PAUSED);
        assertThat(ClickEligibility.candidates(false, LINK, List.of(), AFFILIATE, DE_DESKTOP, UNCAPPED).reason())
                .isEqualTo(FallbackReason.TENANT_SUSPENDED);
        assertThat(ClickEligibility.candidates(true, LINK, List.of(), AFFILIATE, DE_DESKTOP, UNCAPPED).reason())
                .isEqualTo(FallbackReason.NO_ELIGIBLE_OFFER);
        ClickEligibility.Candidates suspended = ClickEligibility.candidates(true, LINK, List.of(RUNNING), null, DE_DESKTOP,
                UNCAPPED);
        assertThat(suspended.eligible()).isEmpty();
        assertThat(suspended.first()).isEqualTo(RUNNING);
        assertThat(suspended.reason()).isEqualTo(FallbackReason.AFFILIATE_SUSPENDED);
    }

    @Test
    void anOfferThatRefusesDataCentreTrafficExcludesVisitorsFromHostingNetworks() {
        CachedOffer refusing = new CachedOffer("t_1", "off_1", 1, new OfferTerms("Shoes", "adv_1", "https://a.example/",
                "EUR", OfferStatus.ACTIVE, RUNNING.terms().goals(), 3600, Caps.none(), Set.of(), Set.of(), null,
                io.affnet.api.offer.DatacenterTraffic.REFUSE));
        Visitor hosted = new Visitor(Map.of(), "ua", null, "desktop", "DE", "h", "p", null, null, 16509L, true);
        assertThat(ClickEligibility.decide(true, LINK, refusing, AFFILIATE, hosted, UNCAPPED))
                .isEqualTo(new ClickEligibility.Fallback(FallbackReason.DATACENTER_TRAFFIC));
        assertThat(ClickEligibility.decide(true, LINK, refusing, AFFILIATE, DE_DESKTOP, UNCAPPED))
                .isInstanceOf(ClickEligibility.Eligible.class);
    }
}
