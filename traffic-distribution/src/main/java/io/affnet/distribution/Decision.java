package io.affnet.distribution;

import java.util.List;

/**
 * The offer chosen for one click and the probability with which it was chosen, so the click log can
 * later be used for off-policy evaluation.
 *
 * @param chosenOfferId null when no candidate was eligible (see {@link #isEmpty()})
 * @param propensity    probability that the policy picks this offer in this context and state
 */
public record Decision(String chosenOfferId, double propensity, String policyName, int policyVersion,
                       List<String> candidateIds) {

    public Decision {
        candidateIds = List.copyOf(candidateIds);
    }

    public static Decision none(String policyName, int policyVersion) {
        return new Decision(null, 0, policyName, policyVersion, List.of());
    }

    public boolean isEmpty() {
        return chosenOfferId == null;
    }
}
