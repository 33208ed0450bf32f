package io.affnet.distribution;

import java.util.Objects;

/**
 * A candidate offer of a smart link.
 *
 * @param offerId       the offer's id; must not contain '|' (it separates parts of state keys)
 * @param payoutPerConversion the payout the offer's terms promise per conversion, in any consistent
 *                      unit; the prior mean of the payout posterior, 0 when unknown
 */
public record Arm(String offerId, double payoutPerConversion) {

    public Arm {
        Objects.requireNonNull(offerId, "offerId");
        if (offerId.isEmpty() || offerId.indexOf('|') >= 0) {
            throw new IllegalArgumentException("offerId must be non-empty and must not contain '|': " + offerId);
        }
        if (!(payoutPerConversion >= 0)) {
            throw new IllegalArgumentException("payoutPerConversion must be >= 0: " + payoutPerConversion);
        }
    }

    public static Arm of(String offerId) {
        return new Arm(offerId, 0);
    }
}
