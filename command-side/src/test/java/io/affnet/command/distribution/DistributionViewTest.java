package io.affnet.command.distribution;

import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.command.click.ClickService;
import io.affnet.distribution.Arm;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The distribution view shows the probabilities the click path's selector actually draws from, for every policy. */
class DistributionViewTest {

    private static final int DRAWS = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"weights", "uniform", "binom", "voluum", "thompson-epc", "contextual"})
    void theViewsProbabilitiesAreTheSharesTheSelectorDraws(String policyName) {
        List<CachedOffer> offers = List.of(offer("off_a", 300, "EUR"), offer("off_b", 100, "EUR"), offer("off_c", 500, "JPY"));
        Map<String, String> params = "weights".equals(policyName) ? Map.of("off_a", "31", "off_b", "9", "off_c", "0") : Map.of();
        CachedLink link = new CachedLink("t_1", "lnk_" + policyName, "code", 1,
                new LinkSettings("aff_1", List.of("off_a", "off_b", "off_c"), policyName, params, LinkStatus.ACTIVE));
        ClickService.Visit visit = new ClickService.Visit("code", Map.of(), "ua", null, "desktop", "DE", "h", "p", null, null, null, false);
        Instant now = Instant.parse("2026-12-06T12:00:00Z");

        SmartLinkSelector selector = new SmartLinkSelector(null);
        Map<String, Integer> drawn = new HashMap<>();
        for (int i = 0; i < DRAWS; i++) {
            drawn.merge(selector.select(link, offers, visit, now).offer().offerId(), 1, Integer::sum);
        }

        List<Arm> arms = new ArrayList<>();
        offers.forEach(o -> arms.add(SmartLinkPolicies.arm(o.offerId(), o.terms())));
        double[] shown = DistributionController.probabilities(SmartLinkPolicies.of(policyName, params), arms,
                SmartLinkSelector.context(visit, now), PolicyState.empty(link.linkId(), LearningConfig.DEFAULT));

        for (int i = 0; i < offers.size(); i++) {
            double share = drawn.getOrDefault(offers.get(i).offerId(), 0) / (double) DRAWS;
            assertThat(share).as("%s %s: drawn %s vs shown %s", policyName, offers.get(i).offerId(), share, shown[i])
                    .isCloseTo(shown[i], within(0.03));
        }
        if ("weights".equals(policyName)) {
            assertThat(shown).containsExactly(new double[]{31 / 40.0, 9 / 40.0, 0}, within(1e-9));
        }
    }

    private static CachedOffer offer(String id, long payoutMinor, String currency) {
        OfferTerms terms = new OfferTerms("Offer " + id, "adv_1", "https://shop.example/?c={click_id}", currency,
                OfferStatus.ACTIVE, List.of(new Goal("sale", Amount.fixed(payoutMinor * 2), Amount.fixed(payoutMinor))),
                OfferTerms.DEFAULT_WINDOW_SECONDS, Caps.none(), Set.of(), Set.of(), null);
        return new CachedOffer("t_1", id, 1, terms);
    }
}
