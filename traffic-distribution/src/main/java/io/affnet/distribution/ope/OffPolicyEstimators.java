package io.affnet.distribution.ope;

import io.affnet.distribution.Decision;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StatsAccumulator;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Estimators of what a target policy would have earned on traffic logged by another policy.
 * Confidence intervals are normal approximations (the IPW terms are i.i.d. given the logging
 * policy; SNIPW uses the delta method).
 */
public final class OffPolicyEstimators {

    static final double Z95 = 1.959963984540054;

    private OffPolicyEstimators() {
    }

    /** Inverse propensity weighting: mean of pi(a|x) / mu(a|x) * r. Unbiased, high variance. */
    public static Estimate ipw(List<LoggedDecision> log, TargetPolicy target) {
        double[] wr = new double[log.size()];
        for (int i = 0; i < wr.length; i++) {
            LoggedDecision d = log.get(i);
            wr[i] = target.probabilityOfLogged(d) / d.propensity() * d.reward();
            target.observe(d);
        }
        double mean = 0;
        for (double v : wr) {
            mean += v;
        }
        mean /= wr.length;
        double ss = 0;
        for (double v : wr) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(ss / (wr.length - 1) / wr.length);
        return new Estimate("IPW", mean, mean - Z95 * se, mean + Z95 * se, wr.length, wr.length);
    }

    /** Self-normalised IPW: sum(w r) / sum(w). Slightly biased, much lower variance than IPW. */
    public static Estimate snipw(List<LoggedDecision> log, TargetPolicy target) {
        double[] w = new double[log.size()];
        double sw = 0;
        double swr = 0;
        for (int i = 0; i < w.length; i++) {
            LoggedDecision d = log.get(i);
            w[i] = target.probabilityOfLogged(d) / d.propensity();
            sw += w[i];
            swr += w[i] * d.reward();
            target.observe(d);
        }
        double v = swr / sw;
        double var = 0;
        for (int i = 0; i < w.length; i++) {
            double e = w[i] * (log.get(i).reward() - v);
            var += e * e;
        }
        double se = Math.sqrt(var) / sw;
        return new Estimate("SNIPW", v, v - Z95 * se, v + Z95 * se, w.length, w.length);
    }

    /**
     * Replay (Li, Chu, Langford, Wang 2011): run the policy over the log and keep the events where
     * it chooses what the logger chose; the mean reward of the kept events estimates the policy's
     * value. Unbiased when the log was collected uniformly at random; the policy learns online from
     * the kept events only, as it would have in production.
     */
    public static Estimate replay(List<LoggedDecision> log, Policy policy, LearningConfig config, int refreshEvery,
                                  RandomGenerator random) {
        StatsAccumulator acc = new StatsAccumulator("replay", config);
        PolicyState state = PolicyState.empty("replay", config);
        int kept = 0;
        double sum = 0;
        double sumSq = 0;
        for (LoggedDecision d : log) {
            Decision decision = policy.choose(d.candidates(), d.context(), state, random);
            if (!d.chosenOfferId().equals(decision.chosenOfferId())) {
                continue;
            }
            kept++;
            sum += d.reward();
            sumSq += d.reward() * d.reward();
            Feedback.record(acc, d);
            if (kept % refreshEvery == 0) {
                state = acc.snapshot(d.timestampMillis());
            }
        }
        if (kept == 0) {
            return new Estimate("replay", Double.NaN, Double.NaN, Double.NaN, log.size(), 0);
        }
        double mean = sum / kept;
        double var = kept > 1 ? Math.max(0, (sumSq - kept * mean * mean) / (kept - 1)) : 0;
        double se = Math.sqrt(var / kept);
        return new Estimate("replay", mean, mean - Z95 * se, mean + Z95 * se, log.size(), kept);
    }
}
