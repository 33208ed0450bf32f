package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;
import io.affnet.distribution.Segments;

import java.time.Duration;
import java.util.List;

/**
 * The auto-optimisation of trackers like Voluum: every minute, weights proportional to each offer's
 * revenue per click over the last 24 hours (by click time, conversions observed so far). Like the
 * real thing it is blind to conversions that have not arrived yet.
 */
public final class VoluumLikePolicy implements Policy {

    public static final String NAME = "voluum";

    /**
     * @param window      look-back window
     * @param floorShare  minimum share per offer, so an offer can recover
     * @param priorClicks pseudo-clicks at the link's average EPC
     */
    public record Config(Duration window, double floorShare, double priorClicks) {
        public static final Config DEFAULT = new Config(Duration.ofHours(24), 0.02, 20);
    }

    private final Config config;

    public VoluumLikePolicy(Config config) {
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
        // re-weighted once per minute of state time
        return state.memo(new MemoKey(this, candidates, state.asOfMillis() / 60_000),
                () -> compute(candidates, state));
    }

    private double[] compute(List<Arm> candidates, PolicyState state) {
        int k = candidates.size();
        double[][] win = new double[k][];
        double clicks = 0;
        double revenue = 0;
        for (int i = 0; i < k; i++) {
            ArmStats s = state.stats(candidates.get(i).offerId(), Segments.GLOBAL);
            win[i] = s.window(config.window().toMillis(), state.config().bucketMillis());
            clicks += win[i][0];
            revenue += win[i][2];
        }
        double meanEpc = clicks > 0 && revenue > 0 ? revenue / clicks : 1;
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            w[i] = (win[i][2] + meanEpc * config.priorClicks()) / (win[i][0] + config.priorClicks());
        }
        double[] floor = new double[k];
        java.util.Arrays.fill(floor, config.floorShare());
        return Probabilities.withFloors(Probabilities.normalise(w), floor);
    }
}
