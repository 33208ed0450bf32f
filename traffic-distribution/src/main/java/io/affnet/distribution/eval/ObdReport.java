package io.affnet.distribution.eval;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.ope.Estimate;
import io.affnet.distribution.ope.LoggedDecision;
import io.affnet.distribution.ope.ObdLog;
import io.affnet.distribution.ope.OffPolicyEstimators;
import io.affnet.distribution.ope.ReferenceData;
import io.affnet.distribution.ope.TargetPolicy;
import io.affnet.distribution.policy.ThompsonEpcPolicy;
import io.affnet.distribution.policy.UniformPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Off-policy estimates on the Open Bandit Dataset sample, printed by {@link EvalMain}. */
final class ObdReport {

    private ObdReport() {
    }

    static void print(Path dir) {
        Path obd = dir != null ? dir : ReferenceData.obdDir();
        List<LoggedDecision> random = ObdLog.read(obd.resolve("random/men/men.csv"));
        List<LoggedDecision> bts = ObdLog.read(obd.resolve("bts/men/men.csv"));
        LearningConfig config = LearningConfig.DEFAULT.withHalfLife(java.time.Duration.ZERO);
        UniformPolicy uniform = new UniformPolicy();
        ThompsonEpcPolicy thompson = new ThompsonEpcPolicy();
        PolicyState none = PolicyState.empty("obd", config);
        System.out.printf("%noff-policy evaluation on the Open Bandit Dataset sample (%s, men, %d + %d impressions)%n",
                obd, random.size(), bts.size());
        System.out.println("LOW POWER: a 10,000-row sample; replay keeps ~1/34 of the events. It proves the pipeline, "
                + "it does not rank policies.");
        System.out.printf("| %-6s | %-28s | %-9s | %7s | %-17s | %6s |%n", "log", "target policy", "estimator",
                "CTR %", "95% CI", "used");
        System.out.printf("|%s|%s|%s|%s|%s|%s|%n", "-".repeat(8), "-".repeat(30), "-".repeat(11), "-".repeat(9),
                "-".repeat(19), "-".repeat(8));
        row("random", "uniform", OffPolicyEstimators.ipw(random, TargetPolicy.fixed(uniform, none)));
        row("random", "uniform", OffPolicyEstimators.snipw(random, TargetPolicy.fixed(uniform, none)));
        row("random", "uniform", OffPolicyEstimators.replay(random, uniform, config, 50, new SplittableRandom(7)));
        row("random", "thompson-epc (online)", OffPolicyEstimators.replay(random, thompson, config, 10,
                new SplittableRandom(7)));
        row("random", "thompson-epc (progressive)", OffPolicyEstimators.ipw(random,
                TargetPolicy.learning(thompson, "obd-ipw", config, 200)));
        row("random", "thompson-epc (progressive)", OffPolicyEstimators.snipw(random,
                TargetPolicy.learning(thompson, "obd-snipw", config, 200)));
        row("bts", "uniform", OffPolicyEstimators.ipw(bts, TargetPolicy.fixed(uniform, none)));
        row("bts", "uniform", OffPolicyEstimators.snipw(bts, TargetPolicy.fixed(uniform, none)));
        row("bts", "bts (logging policy itself)", OffPolicyEstimators.ipw(bts, LoggedDecision::propensity));
    }

    private static void row(String log, String policy, Estimate e) {
        System.out.printf("| %-6s | %-28s | %-9s | %7.3f | [%6.3f, %6.3f] | %6d |%n", log, policy, e.estimator(),
                100 * e.value(), 100 * e.low(), 100 * e.high(), e.used());
    }
}
