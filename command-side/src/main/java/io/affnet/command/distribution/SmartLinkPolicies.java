package io.affnet.command.distribution;

import io.affnet.api.common.MoneyJson;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferTerms;
import io.affnet.distribution.Arm;
import io.affnet.distribution.Policy;
import io.affnet.distribution.policy.Policies;
import io.affnet.distribution.policy.WeightsPolicy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * How a smart link's settings become the policy and the arms that decide its clicks. The click path
 * ({@link SmartLinkSelector}) and the distribution view ({@link DistributionController}) both build them
 * here, so the probabilities the view shows are the ones the clicks are drawn from.
 */
public final class SmartLinkPolicies {

    public static final String DEFAULT_POLICY = "thompson-epc";

    private SmartLinkPolicies() {
    }

    /** The policy of a link: its name (null = {@value #DEFAULT_POLICY}) with its parameters (weights: offer id → weight). */
    public static Policy of(String name, Map<String, String> params) {
        if (WeightsPolicy.NAME.equals(name)) {
            Map<String, Double> weights = new HashMap<>();
            (params == null ? Map.<String, String>of() : params).forEach((k, v) -> {
                try {
                    weights.put(k, Double.parseDouble(v));
                } catch (NumberFormatException ignored) {
                    // a parameter that is not an offer weight
                }
            });
            return new WeightsPolicy(new WeightsPolicy.Config(weights, 1));
        }
        return Policies.byName(name == null ? DEFAULT_POLICY : name);
    }

    /** The arm of an offer: its id and the payout of its first goal in major units (a share of an unknown sale counts as 1). */
    public static Arm arm(String offerId, OfferTerms terms) {
        if (terms == null || terms.goals() == null || terms.goals().isEmpty()) {
            return new Arm(offerId, 1);
        }
        Goal goal = terms.goals().get(0);
        return new Arm(offerId, expectedPayout(goal.payout(), terms.currency()));
    }

    static double expectedPayout(Amount payout, String currency) {
        if (payout == null || payout.kind() != Amount.Kind.FIXED) {
            return 1;
        }
        return Math.max(0.01, BigDecimal.valueOf(payout.value(), MoneyJson.digits(currency)).doubleValue());
    }
}
