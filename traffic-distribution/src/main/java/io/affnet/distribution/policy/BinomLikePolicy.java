package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;
import io.affnet.distribution.Segments;

import java.util.List;

/**
 * The rotation of trackers like Binom: traffic proportional to each offer's exponentially smoothed
 * earnings per click (smoothing = the state's discount), with a floor share per offer. It is
 * greedy-proportional and ignores conversion delay: a baseline, not a recommendation.
 *
 * @see Config#floorShare()
 */
public final class BinomLikePolicy implements Policy {

    public static final String NAME = "binom";

    /**
     * @param floorShare  minimum share of every offer
     * @param priorClicks pseudo-clicks at the link's average EPC that smooth offers with little data
     */
    public record Config(double floorShare, double priorClicks) {
        public static final Config DEFAULT = new Config(0.05, 100);
    }

    private final Config config;

    public BinomLikePolicy(Config config) {
        this.config = config;
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
        return state.memo(new MemoKey(this, candidates, null), () -> compute(candidates, state));
    }

    private double[] compute(List<Arm> candidates, PolicyState state) {
        int k = candidates.size();
        double clicks = 0;
        double revenue = 0;
        ArmStats[] s = new ArmStats[k];
        for (int i = 0; i < k; i++) {
            s[i] = state.stats(candidates.get(i).offerId(), Segments.GLOBAL);
            clicks += s[i].clicks();
            revenue += s[i].payoutSum();
        }
        double meanEpc = clicks > 0 && revenue > 0 ? revenue / clicks : 1;
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = (s[i].payoutSum() + meanEpc * config.priorClicks()) / (s[i].clicks() + config.priorClicks());
        }
        double[] floor = new double[k];
        java.util.Arrays.fill(floor, config.floorShare());
        return Probabilities.withFloors(Probabilities.normalise(w), floor);
    }
}
