package io.affnet.api.affiliate;

import io.affnet.api.offer.Amount;

/** A payout this affiliate gets on one goal of one offer instead of the offer's own. */
public record PayoutOverride(String offerId, String goal, Amount payout) {
}
