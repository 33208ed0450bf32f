package io.affnet.distribution.policy;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.CTX;
import static io.affnet.distribution.TestStates.HOUR;
import static io.affnet.distribution.TestStates.T0;
import static io.affnet.distribution.TestStates.arms;
import static io.affnet.distribution.TestStates.train;
import static org.assertj.core.api.Assertions.assertThat;

class BaselinePoliciesTest {

    @Test
    void binomFavoursTheHigherSmoothedEpcButKeepsTheFivePercentFloor() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(1);
        train(acc, CTX, "a", 10_000, 0.005, T0 - 24 * HOUR, T0, r);
        train(acc, CTX, "b", 10_000, 0.04, T0 - 24 * HOUR, T0, r);
        double[] p = new BinomLikePolicy(BinomLikePolicy.Config.DEFAULT).probabilities(arms("a", "b"), CTX,
                acc.snapshot(T0));
        assertThat(p[1]).isGreaterThan(p[0]);
        assertThat(p[0]).isGreaterThanOrEqualTo(0.05);
    }

    @Test
    void voluumLooksOnlyAtTheLastDay() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(2);
        // "a" was great two days ago and poor today; "b" the opposite
        train(acc, CTX, "a", 10_000, 0.05, T0 - 48 * HOUR, T0 - 30 * HOUR, r);
        train(acc, CTX, "b", 10_000, 0.001, T0 - 48 * HOUR, T0 - 30 * HOUR, r);
        train(acc, CTX, "a", 5_000, 0.005, T0 - 20 * HOUR, T0, r);
        train(acc, CTX, "b", 5_000, 0.03, T0 - 20 * HOUR, T0, r);
        PolicyState state = acc.snapshot(T0);
        double[] p = new VoluumLikePolicy(VoluumLikePolicy.Config.DEFAULT).probabilities(arms("a", "b"), CTX, state);
        assertThat(p[1]).isGreaterThan(0.7);
    }
}
