package io.affnet.api.payout;

import java.time.Duration;
import java.util.Map;

/**
 * A tenant's payout terms: the hold period (default, and per offer), the schedule, the minimum paid
 * per currency (minor units), and whether a negative available balance in any currency blocks payouts.
 */
public record PayoutTerms(Duration defaultHold, Map<String, Duration> offerHolds, PayoutSchedule schedule, int netDays,
                          Map<String, Long> minimumMinor, boolean negativeBalanceBlocks) {

    public PayoutTerms {
        offerHolds = offerHolds == null ? Map.of() : Map.copyOf(offerHolds);
        minimumMinor = minimumMinor == null ? Map.of() : Map.copyOf(minimumMinor);
    }

    public static PayoutTerms defaults() {
        return new PayoutTerms(Duration.ofDays(30), Map.of(), PayoutSchedule.MONTHLY, 0, Map.of(), true);
    }

    public Duration holdFor(String offerId) {
        return offerHolds.getOrDefault(offerId, defaultHold);
    }
}
