package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.HOUR;
import static io.affnet.distribution.TestStates.T0;
import static io.affnet.distribution.TestStates.arms;
import static io.affnet.distribution.TestStates.train;
import static org.assertj.core.api.Assertions.assertThat;

class ContextualThompsonPolicyTest {

    private static final Context MOBILE = new Context("US", "mobile", "aff1", 12);
    private static final Context DESKTOP = new Context("US", "desktop", "aff1", 12);
    private final List<Arm> ab = arms("A", "B");

    @Test
    void picksAOnMobileAndBOnDesktopAfterTraining() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(1);
        train(acc, MOBILE, "A", 8000, 0.03, T0 - 24 * HOUR, T0, r);
        train(acc, MOBILE, "B", 8000, 0.01, T0 - 24 * HOUR, T0, r);
        train(acc, DESKTOP, "A", 8000, 0.01, T0 - 24 * HOUR, T0, r);
        train(acc, DESKTOP, "B", 8000, 0.03, T0 - 24 * HOUR, T0, r);
        PolicyState state = acc.snapshot(T0);
        ContextualThompsonPolicy policy = new ContextualThompsonPolicy();

        assertThat(policy.probabilities(ab, MOBILE, state)[0]).isGreaterThan(0.9);
        assertThat(policy.probabilities(ab, DESKTOP, state)[1]).isGreaterThan(0.9);
        // the context-free policy sees two equal offers
        double[] global = new ThompsonEpcPolicy().probabilities(ab, MOBILE, state);
        assertThat(global[0]).isBetween(0.1, 0.9);
    }

    @Test
    void reducesToContextFreeThompsonWhenEveryDimensionHasASingleValue() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(2);
        train(acc, MOBILE, "A", 3000, 0.02, T0 - 24 * HOUR, T0, r);
        train(acc, MOBILE, "B", 3000, 0.025, T0 - 24 * HOUR, T0, r);
        PolicyState state = acc.snapshot(T0);
        for (var d : io.affnet.distribution.Segments.Dimension.values()) {
            assertThat(state.distinctValues(d)).isEqualTo(1);
        }
        double contextual = new ContextualThompsonPolicy().probabilities(ab, MOBILE, state)[1];
        double contextFree = new ThompsonEpcPolicy().probabilities(ab, MOBILE, state)[1];
        // same posterior, different Monte-Carlo draws
        assertThat(contextual).isCloseTo(contextFree, org.assertj.core.api.Assertions.within(0.08));
    }
}
