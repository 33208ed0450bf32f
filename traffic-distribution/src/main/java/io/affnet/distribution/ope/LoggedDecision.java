package io.affnet.distribution.ope;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;

import java.util.List;

/**
 * One logged decision: what the logging policy could choose from, what it chose, with which
 * probability, and the reward that followed. Our own click log has this shape (reward = payout of
 * the click's conversions), and so does the Open Bandit Dataset (reward = click).
 */
public record LoggedDecision(long timestampMillis, Context context, List<Arm> candidates, String chosenOfferId,
                             double propensity, double reward) {

    public LoggedDecision {
        candidates = List.copyOf(candidates);
        if (!(propensity > 0 && propensity <= 1)) {
            throw new IllegalArgumentException("propensity must be in (0, 1]: " + propensity);
        }
    }

    public int chosenIndex() {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).offerId().equals(chosenOfferId)) {
                return i;
            }
        }
        throw new IllegalStateException("chosen offer " + chosenOfferId + " is not among the candidates");
    }
}
