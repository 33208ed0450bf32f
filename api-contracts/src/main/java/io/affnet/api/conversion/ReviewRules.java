package io.affnet.api.conversion;

import java.math.BigDecimal;
import java.util.Map;

/**
 * When a conversion the advertiser approves is held for review (recorded as pending, flagged
 * {@code review_amount} or {@code review_flagged_click}) instead of approved, and who may moderate.
 *
 * @param holdAbove           hold a conversion whose payout is above this amount, in the offer's currency
 *                            (null = no tenant-wide limit)
 * @param offerHoldAbove      per offer: a limit that replaces {@code holdAbove} for that offer
 * @param holdFlaggedClicks   hold conversions on clicks the click path flagged (traffic from a hosting
 *                            network on an offer that flags it)
 * @param advertisersModerate advertisers may moderate conversions on their own offers
 */
public record ReviewRules(BigDecimal holdAbove, Map<String, BigDecimal> offerHoldAbove, boolean holdFlaggedClicks,
                          boolean advertisersModerate) {

    public static final String HELD_AMOUNT = "review_amount";
    public static final String HELD_FLAGGED_CLICK = "review_flagged_click";

    public static ReviewRules none() {
        return new ReviewRules(null, Map.of(), false, false);
    }

    /** The limit for one offer: its own, else the tenant's; null when none. */
    public BigDecimal holdAbove(String offerId) {
        if (offerHoldAbove != null && offerId != null && offerHoldAbove.containsKey(offerId)) {
            return offerHoldAbove.get(offerId);
        }
        return holdAbove;
    }

    /** Why a conversion with this payout on this click is held, or null when it is not. */
    public String hold(String offerId, BigDecimal payout, boolean flaggedClick) {
        if (holdFlaggedClicks && flaggedClick) {
            return HELD_FLAGGED_CLICK;
        }
        BigDecimal limit = holdAbove(offerId);
        return limit != null && payout != null && payout.compareTo(limit) > 0 ? HELD_AMOUNT : null;
    }
}
