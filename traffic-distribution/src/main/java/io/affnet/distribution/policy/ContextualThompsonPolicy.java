package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Segments;
import io.affnet.distribution.Segments.Dimension;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Thompson sampling on EPC per context. The conversion rate of an offer for a click is modelled
 * additively in log-odds: the offer's global rate plus, for each context dimension (country, device
 * class, source, hour block), how much that dimension's value lifts or lowers it. Each per-value
 * rate has a Beta posterior whose prior is centred on the offer's global rate, with a strength
 * estimated from how much the dimension's values differ (empirical Bayes): with little data a
 * segment looks like the whole link (hierarchical shrinkage), with plenty it speaks for itself. A
 * dimension with a single observed value, or whose values do not differ beyond noise, is skipped,
 * so on context-free traffic this policy reduces to {@link ThompsonEpcPolicy}.
 */
public final class ContextualThompsonPolicy implements Policy {

    public static final String NAME = "contextual";

    /**
     * @param base                  global posterior, exploration and cold-start settings
     * @param dimensions            the context dimensions used
     * @param shrinkageConversions  least prior strength of a segment, in conversions at the global rate
     */
    public record Config(ThompsonEpcPolicy.Config base, List<Dimension> dimensions, double shrinkageConversions) {
        public static final Config DEFAULT = new Config(ThompsonEpcPolicy.Config.DEFAULT,
                List.of(Dimension.values()), 5);

        public Config {
            dimensions = List.copyOf(dimensions);
            if (shrinkageConversions <= 0) {
                throw new IllegalArgumentException("shrinkageConversions must be > 0");
            }
        }
    }

    private final Config config;

    public ContextualThompsonPolicy(Config config) {
        this.config = config;
    }

    public ContextualThompsonPolicy() {
        this(Config.DEFAULT);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public double[] probabilities(List<Arm> candidates, Context context, PolicyState state) {
        if (candidates.size() == 1) {
            return new double[] {1};
        }
        double[] strength = state.memo(new MemoKey(this, candidates, "strength"), () -> strengths(candidates, state));
        List<String> segments = new ArrayList<>(config.dimensions().size());
        List<Double> shrink = new ArrayList<>(config.dimensions().size());
        for (int j = 0; j < strength.length; j++) {
            if (strength[j] <= MAX_SHRINKAGE_CONVERSIONS) {
                segments.add(config.dimensions().get(j).key(context));
                shrink.add(strength[j]);
            }
        }
        return state.memo(new MemoKey(this, candidates, segments), () -> compute(candidates, segments, shrink, state));
    }

    /** A dimension whose estimated prior strength is above this carries no usable signal and is skipped. */
    static final double MAX_SHRINKAGE_CONVERSIONS = 100;

    /**
     * Empirical-Bayes prior strength per dimension, in conversions: 1 / tau^2, where tau^2 is the
     * method-of-moments spread of the per-value log-odds lifts over their sampling noise. A dimension
     * that does not change conversion rates gets tau^2 near 0 and drops out; one that does is shrunk
     * only as much as its observed spread warrants (never less than {@code shrinkageConversions}).
     */
    private double[] strengths(List<Arm> candidates, PolicyState state) {
        List<Dimension> dims = config.dimensions();
        double[] out = new double[dims.size()];
        for (int j = 0; j < out.length; j++) {
            Dimension d = dims.get(j);
            if (state.distinctValues(d) < 2) {
                out[j] = Double.POSITIVE_INFINITY;
                continue;
            }
            double num = 0;
            double den = 0;
            for (Arm arm : candidates) {
                ArmStats g = state.stats(arm.offerId(), Segments.GLOBAL);
                double gl = Sampling.logit((g.conversions() + 0.5) / (g.clicks() + 1));
                for (String seg : state.segmentValues(d)) {
                    if (!state.hasStats(arm.offerId(), seg)) {
                        continue;
                    }
                    ArmStats s = state.stats(arm.offerId(), seg);
                    double c = s.conversions();
                    double n = Math.max(s.clicks(), c);
                    double lift = Sampling.logit((c + 0.5) / (n + 1)) - gl;
                    double noise = 1 / (c + 0.5) + 1 / (n - c + 0.5);
                    double w = 1 / noise;
                    num += w * (lift * lift - noise);
                    den += w;
                }
            }
            double tau2 = den > 0 ? num / den : 0;
            out[j] = tau2 > 0 ? Math.max(config.shrinkageConversions(), 1 / tau2) : Double.POSITIVE_INFINITY;
        }
        return out;
    }

    private double[] compute(List<Arm> candidates, List<String> segments, List<Double> shrink, PolicyState state) {
        ThompsonEpcPolicy.Config base = config.base();
        ThompsonEpcPolicy.Posterior[] global = ThompsonEpcPolicy.posteriors(candidates, state, Segments.GLOBAL, base);
        int k = candidates.size();
        int m = segments.size();
        double[][] a = new double[k][m];
        double[][] b = new double[k][m];
        double[] globalLogit = new double[k];
        for (int i = 0; i < k; i++) {
            String offer = candidates.get(i).offerId();
            double g = global[i].meanRate();
            globalLogit[i] = Sampling.logit(g);
            for (int j = 0; j < m; j++) {
                ArmStats s = state.stats(offer, segments.get(j));
                double conv = s.conversions();
                double trials = base.delayCorrection()
                        ? s.effectiveTrials(state.asOfMillis(), state.config(), state.delay(offer))
                        : Math.max(s.clicks(), conv);
                double c0 = shrink.get(j);
                a[i][j] = c0 + conv;
                b[i][j] = c0 * (1 - g) / g + Math.max(0, trials - conv);
            }
        }
        SplittableRandom r = new SplittableRandom(ThompsonEpcPolicy.seed(state, candidates, segments));
        int[] wins = new int[k];
        for (int d = 0; d < base.draws(); d++) {
            int best = 0;
            double bestEpc = -1;
            for (int i = 0; i < k; i++) {
                ThompsonEpcPolicy.Posterior p = global[i];
                double z = Sampling.logit(Sampling.beta(p.alpha(), p.beta(), r));
                for (int j = 0; j < m; j++) {
                    z += Sampling.logit(Sampling.beta(a[i][j], b[i][j], r)) - globalLogit[i];
                }
                double epc = Sampling.sigmoid(z) * p.samplePayout(r);
                if (epc > bestEpc) {
                    bestEpc = epc;
                    best = i;
                }
            }
            wins[best]++;
        }
        return ThompsonEpcPolicy.finish(wins, global, base);
    }
}
