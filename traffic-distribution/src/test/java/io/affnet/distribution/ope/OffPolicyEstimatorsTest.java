package io.affnet.distribution.ope;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.policy.UniformPolicy;
import io.affnet.distribution.policy.WeightsPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OffPolicyEstimatorsTest {

    private static List<LoggedDecision> randomLog;
    private final PolicyState empty = PolicyState.empty("obd", LearningConfig.DEFAULT);

    @BeforeAll
    static void readLog() {
        randomLog = ObdLog.read(ReferenceData.obdDir().resolve("random/men/men.csv"));
    }

    @Test
    void ipwOfUniformOnTheUniformLogIsExactlyItsClickThroughRate() {
        assertThat(randomLog).hasSize(10_000);
        assertThat(randomLog.get(0).candidates()).hasSize(34);
        Estimate e = OffPolicyEstimators.ipw(randomLog, TargetPolicy.fixed(new UniformPolicy(), empty));
        assertThat(e.value()).isEqualTo(0.0046);
        assertThat(e.low()).isLessThan(0.0046);
        assertThat(e.high()).isGreaterThan(0.0046);
        assertThat(OffPolicyEstimators.snipw(randomLog, TargetPolicy.fixed(new UniformPolicy(), empty)).value())
                .isEqualTo(0.0046);
    }

    @Test
    void replayOfUniformKeepsAboutOneEventIn34() {
        Estimate e = OffPolicyEstimators.replay(randomLog, new UniformPolicy(), LearningConfig.DEFAULT, 50,
                new SplittableRandom(1));
        assertThat(e.used()).isBetween(240, 360);
    }

    /** Two offers logged uniformly; offer "good" pays 1 with probability 0.3, "bad" with 0.1. */
    private static List<LoggedDecision> syntheticLog(int n) {
        SplittableRandom r = new SplittableRandom(42);
        List<Arm> arms = List.of(Arm.of("good"), Arm.of("bad"));
        List<LoggedDecision> log = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean good = r.nextBoolean();
            double reward = r.nextDouble() < (good ? 0.3 : 0.1) ? 1 : 0;
            log.add(new LoggedDecision(1_000L * i, Context.UNKNOWN, arms, good ? "good" : "bad", 0.5, reward));
        }
        return log;
    }

    @Test
    void estimatorsRecoverTheValueOfAnotherPolicyOnOurOwnLogShape() {
        List<LoggedDecision> log = syntheticLog(40_000);
        // 80% good, 20% bad: true value 0.8 * 0.3 + 0.2 * 0.1 = 0.26
        TargetPolicy target = TargetPolicy.fixed(new WeightsPolicy(new WeightsPolicy.Config(
                Map.of("good", 4.0, "bad", 1.0), 1)), empty);
        Estimate ipw = OffPolicyEstimators.ipw(log, target);
        Estimate snipw = OffPolicyEstimators.snipw(log, target);
        assertThat(ipw.value()).isCloseTo(0.26, within(0.015));
        assertThat(snipw.value()).isCloseTo(0.26, within(0.015));
        assertThat(ipw.low()).isLessThan(0.26);
        assertThat(ipw.high()).isGreaterThan(0.26);
    }

    @Test
    void replayedThompsonLearnsOnlineAndBeatsUniform() {
        List<LoggedDecision> log = syntheticLog(40_000);
        Estimate ts = OffPolicyEstimators.replay(log, new io.affnet.distribution.policy.ThompsonEpcPolicy(),
                LearningConfig.DEFAULT, 20, new SplittableRandom(3));
        assertThat(ts.value()).isGreaterThan(0.26);
        assertThat(ts.used()).isGreaterThan(15_000);
    }
}
