package io.affnet.domain.click;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.click.FallbackReason;
import io.affnet.api.common.TenantId;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClickRecordsTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    private static final CachedLink LINK = new CachedLink("t_1", "lnk_1", "code12345678", 2,
            new LinkSettings("aff_1", List.of("off_1"), null, Map.of(), LinkStatus.ACTIVE));
    private static final OfferTerms TERMS = new OfferTerms("Shoes", "adv_1", "https://a.example/", "EUR", OfferStatus.ACTIVE,
            List.of(new Goal("lead", Amount.fixed(500), Amount.fixed(300))), 3600, Caps.none(), Set.of(), Set.of(), null);
    private static final CachedOffer OFFER = new CachedOffer("t_1", "off_1", 4, TERMS);
    private static final PayoutOverride MINE = new PayoutOverride("off_1", "lead", Amount.fixed(400));
    private static final CachedAffiliate AFFILIATE = new CachedAffiliate("t_1", "aff_1", 7, new AffiliateProfile("A",
            "a@example.com", AffiliateStatus.ACTIVE, List.of(MINE, new PayoutOverride("off_9", "lead", Amount.fixed(1)))));

    @Test
    void capturesTheTermsAndOnlyTheOverridesForTheOfferAndCutsLongText() {
        Visitor visitor = new Visitor(Map.of("sub1", "x"), "u".repeat(2000), "https://ref.example/", "mobile", "DE",
                "hash", "1.2.3.0/24", null, null, null, false);
        ClickRecordedEvent event = ClickRecords.recorded("clk", LINK, AFFILIATE, OFFER, visitor, AT, ClickOutcome.OFFER,
                FallbackReason.CAP_REACHED, null);
        assertThat(event).isEqualTo(new ClickRecordedEvent(TenantId.of("t_1"), "clk", "lnk_1", "code12345678", "aff_1", 7,
                "off_1", 4, TERMS, List.of(MINE), Map.of("sub1", "x"), AT, "u".repeat(ClickRecords.MAX_FIELD),
                "https://ref.example/", "mobile", "DE", "hash", "1.2.3.0/24", ClickOutcome.OFFER, null, null, null));
    }

    @Test
    void aClickFromAHostingNetworkIsFlaggedUnlessItsOfferAllowsSuch() {
        Visitor hosted = new Visitor(Map.of(), "ua", null, "desktop", "DE", "hash", "p", "BY", "Munich", 16509L, true);
        CachedOffer flagging = new CachedOffer("t_1", "off_1", 4, new OfferTerms("Shoes", "adv_1", "https://a.example/",
                "EUR", OfferStatus.ACTIVE, TERMS.goals(), 3600, Caps.none(), Set.of(), Set.of(), null,
                io.affnet.api.offer.DatacenterTraffic.FLAG));
        ClickRecordedEvent flagged = ClickRecords.recorded("clk", LINK, AFFILIATE, flagging, hosted, AT, ClickOutcome.OFFER,
                null, null);
        assertThat(flagged.region()).isEqualTo("BY");
        assertThat(flagged.city()).isEqualTo("Munich");
        assertThat(flagged.asn()).isEqualTo(16509L);
        assertThat(flagged.datacenter()).isTrue();
        assertThat(ClickRecords.recorded("clk", LINK, AFFILIATE, OFFER, hosted, AT, ClickOutcome.OFFER, null, null)
                .datacenter()).as("the offer allows hosting networks").isNull();
    }

    @Test
    void aClickWithoutOfferOrAffiliateKeepsItsFallbackReason() {
        Visitor visitor = new Visitor(Map.of(), null, null, "desktop", null, "hash", "p", null, null, null, false);
        ClickRecordedEvent event = ClickRecords.recorded("clk", LINK, null, null, visitor, AT, ClickOutcome.NOT_SERVED,
                FallbackReason.AFFILIATE_SUSPENDED, null);
        assertThat(event.offerId()).isNull();
        assertThat(event.terms()).isNull();
        assertThat(event.affiliateVersion()).isZero();
        assertThat(event.payoutOverrides()).isEmpty();
        assertThat(event.fallbackReason()).isEqualTo(FallbackReason.AFFILIATE_SUSPENDED);
        assertThat(event.datacenter()).isNull();
    }
}
