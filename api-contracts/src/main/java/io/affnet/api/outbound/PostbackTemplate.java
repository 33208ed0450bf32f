package io.affnet.api.outbound;

/**
 * One postback URL of an affiliate: global (no offer), for one offer, or for one goal of one offer.
 * The most specific template that matches a conversion is the one fired.
 * <p>
 * A template with {@code topic} {@value #PAYOUTS} is not for conversions: it receives the payout state
 * changes (sent, paid, failed, returned, reversed) of the endpoint's owner as signed JSON POSTs
 * (docs/payouts.md, "Payout notifications"). It has no offer, no goal and no macros.
 *
 * @param url   a http(s) URL whose path and query may hold macros such as {@code {click_id}}
 * @param topic null for conversions (every template before payouts existed), or {@value #PAYOUTS}
 */
public record PostbackTemplate(String offerId, String goal, PostbackMethod method, String url, String topic) {

    /** The topic of the template that receives payout state changes. */
    public static final String PAYOUTS = "payouts";

    /** A conversion template. */
    public PostbackTemplate(String offerId, String goal, PostbackMethod method, String url) {
        this(offerId, goal, method, url, null);
    }

    /** The template that receives payout state changes. */
    public static PostbackTemplate payouts(String url) {
        return new PostbackTemplate(null, null, PostbackMethod.POST, url, PAYOUTS);
    }

    /** 2 = offer and goal, 1 = offer, 0 = global; -1 when it does not apply to the conversion. */
    public int specificityFor(String conversionOfferId, String conversionGoal) {
        if (topic != null) {
            return -1;
        }
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
