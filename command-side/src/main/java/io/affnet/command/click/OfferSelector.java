package io.affnet.command.click;

import io.affnet.api.click.Decision;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;

import java.time.Instant;
import java.util.List;

/** Chooses among a smart link's eligible offers and says how (policy, propensity). */
public interface OfferSelector {

    record Selection(CachedOffer offer, Decision decision) {
    }

    Selection select(CachedLink link, List<CachedOffer> eligible, ClickService.Visit visit, Instant now);

    /** Every eligible offer with the same probability; the stand-in until a learning policy is configured. */
    static OfferSelector uniform() {
        return (link, eligible, visit, now) -> {
            int i = java.util.concurrent.ThreadLocalRandom.current().nextInt(eligible.size());
            return new Selection(eligible.get(i), new Decision("uniform", "1",
                    eligible.stream().map(CachedOffer::offerId).toList(), eligible.get(i).offerId(), 1.0 / eligible.size()));
        };
    }
}
