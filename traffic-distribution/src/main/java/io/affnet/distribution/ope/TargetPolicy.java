package io.affnet.distribution.ope;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StatsAccumulator;

/**
 * The policy being evaluated, seen by the estimators as the probability it would have given to the
 * logged choice. A learning target sees each logged event only after it has been scored
 * (progressive validation), so it never peeks at the reward it is judged on.
 */
public interface TargetPolicy {

    double probabilityOfLogged(LoggedDecision d);

    default void observe(LoggedDecision d) {
    }

    /** A policy with a frozen state. */
    static TargetPolicy fixed(Policy policy, PolicyState state) {
        return d -> policy.probabilities(d.candidates(), d.context(), state)[d.chosenIndex()];
    }

    /** A policy that learns from every logged event, refreshing its state every {@code refreshEvery} events. */
    static TargetPolicy learning(Policy policy, String linkId, LearningConfig config, int refreshEvery) {
        StatsAccumulator acc = new StatsAccumulator(linkId, config);
        return new TargetPolicy() {
            private PolicyState state = PolicyState.empty(linkId, config);
            private int seen;

            @Override
            public double probabilityOfLogged(LoggedDecision d) {
                return policy.probabilities(d.candidates(), d.context(), state)[d.chosenIndex()];
            }

            @Override
            public void observe(LoggedDecision d) {
                Feedback.record(acc, d);
                if (++seen % refreshEvery == 0) {
                    state = acc.snapshot(d.timestampMillis());
                }
            }
        };
    }
}
