package io.affnet.distribution.policy;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.CTX;
import static io.affnet.distribution.TestStates.arms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightsPolicyTest {

    private final WeightsPolicy policy = new WeightsPolicy(new WeightsPolicy.Config(Map.of("a", 6.0, "b", 3.0), 1));
    private final PolicyState state = PolicyState.empty("l", LearningConfig.DEFAULT);

    @Test
    void propensityIsTheNormalisedWeightAndMissingOffersGetTheDefault() {
        assertThat(policy.probabilities(arms("a", "b", "c"), CTX, state)).containsExactly(0.6, 0.3, 0.1);
    }

    @Test
    void choicesFollowTheWeights() {
        SplittableRandom r = new SplittableRandom(3);
        Map<String, Integer> n = new HashMap<>();
        int draws = 50_000;
        for (int i = 0; i < draws; i++) {
            n.merge(policy.choose(arms("a", "b", "c"), CTX, state, r).chosenOfferId(), 1, Integer::sum);
        }
        // 5 standard errors of a binomial share at 50k draws is about 0.011
        assertThat(n.get("a") / (double) draws).isCloseTo(0.6, within(0.011));
        assertThat(n.get("b") / (double) draws).isCloseTo(0.3, within(0.011));
        assertThat(n.get("c") / (double) draws).isCloseTo(0.1, within(0.007));
    }
}
