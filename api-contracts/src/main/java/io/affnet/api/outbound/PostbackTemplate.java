package io.affnet.api.outbound;

/**
 * One postback URL of an affiliate: global (no offer), for one offer, or for one goal of one offer.
 * The most specific template that matches a conversion is the one fired.
 *
 * @param url a http(s) URL whose path and query may hold macros such as {@code {click_id}}
 */
public record PostbackTemplate(String offerId, String goal, PostbackMethod method, String url) {

    /** 2 = offer and goal, 1 = offer, 0 = global; -1 when it does not apply to the conversion. */
    public int specificityFor(String conversionOfferId, String conversionGoal) {
        if (offerId == null) {
            return 0;
        }
        if (!offerId.equals(conversionOfferId)) {
            return -1;
        }
        if (goal == null) {
            return 1;
        }
        return goal.equals(conversionGoal) ? 2 : -1;
    }
}
