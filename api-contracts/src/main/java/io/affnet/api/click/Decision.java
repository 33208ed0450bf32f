package io.affnet.api.click;

import java.util.List;

/**
 * How a smart link chose the offer for this click: the policy (and its version), the offers it could
 * choose from, the one it chose and the probability it had of choosing it (its propensity), so that
 * any other policy can later be evaluated off-policy on these logs.
 */
public record Decision(String policy, String policyVersion, List<String> candidates, String chosenOfferId,
                       double propensity) {
}
