package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;
import io.affnet.distribution.Segments;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Thompson sampling on earnings per click: each offer's EPC is a draw of its conversion rate from a
 * Beta posterior times a draw of its mean payout from a normal posterior, and the offer with the
 * highest draw wins. The statistics are discounted by click age (drift) and delay-corrected (a
 * recent click counts as a trial only by the probability its conversion has arrived yet).
 *
 * <p>The probability of winning is estimated once per state snapshot with {@code draws} Monte-Carlo
 * rounds and memoised; each click then samples from that vector. That is Thompson sampling in
 * distribution, makes the logged propensity the exact probability the click was routed with, and
 * keeps the per-click cost at a few array reads. On top of it every offer keeps a minimum
 * exploration share, and new offers a larger forced share until they have some clicks.
 */
public final class ThompsonEpcPolicy implements Policy {

    public static final String NAME = "thompson-epc";

    /**
     * @param draws                Monte-Carlo rounds per snapshot
     * @param minExplorationShare  total share spread evenly over the offers, whatever the posteriors say
     * @param coldStartClicks      an offer with fewer lifetime clicks is new
     * @param coldStartShare       forced share of each new offer
     * @param priorConversions     strength of the Beta prior, in conversions at the link's pooled rate
     * @param delayCorrection      whether recent clicks count partially (off only to measure its effect)
     */
    public record Config(int draws, double minExplorationShare, long coldStartClicks, double coldStartShare,
                         double priorConversions, boolean delayCorrection) {
        public static final Config DEFAULT = new Config(400, 0.02, 300, 0.05, 1, true);

        public Config {
            if (draws < 1 || minExplorationShare < 0 || minExplorationShare >= 1 || coldStartShare < 0
                    || coldStartShare >= 1 || priorConversions <= 0) {
                throw new IllegalArgumentException("invalid thompson config");
            }
        }

        public Config withDelayCorrection(boolean on) {
            return new Config(draws, minExplorationShare, coldStartClicks, coldStartShare, priorConversions, on);
        }
    }

    /** Posterior summary of one offer in one segment. */
    record Posterior(double alpha, double beta, double payoutMean, double payoutSd, boolean cold) {
        double meanRate() {
            return alpha / (alpha + beta);
        }

        double sampleEpc(SplittableRandom r) {
            return Sampling.beta(alpha, beta, r) * samplePayout(r);
        }

        double samplePayout(SplittableRandom r) {
            return payoutSd > 0 ? Math.max(0, payoutMean + payoutSd * r.nextGaussian()) : payoutMean;
        }
    }

    private final Config config;

    public ThompsonEpcPolicy(Config config) {
        this.config = config;
    }

    public ThompsonEpcPolicy() {
        this(Config.DEFAULT);
    }

    public Config config() {
        return config;
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
        return state.memo(new MemoKey(this, candidates, null), () -> compute(candidates, state));
    }

    private double[] compute(List<Arm> candidates, PolicyState state) {
        Posterior[] post = posteriors(candidates, state, Segments.GLOBAL, config);
        int k = post.length;
        SplittableRandom r = new SplittableRandom(seed(state, candidates, Segments.GLOBAL));
        int[] wins = new int[k];
        for (int d = 0; d < config.draws(); d++) {
            int best = 0;
            double bestEpc = -1;
            for (int i = 0; i < k; i++) {
                double epc = post[i].sampleEpc(r);
                if (epc > bestEpc) {
                    bestEpc = epc;
                    best = i;
                }
            }
            wins[best]++;
        }
        return finish(wins, post, config);
    }

    static double[] finish(int[] wins, Posterior[] post, Config config) {
        int k = wins.length;
        double[] p = new double[k];
        double[] floor = new double[k];
        int total = 0;
        for (int w : wins) {
            total += w;
        }
        for (int i = 0; i < k; i++) {
            p[i] = (double) wins[i] / total;
            floor[i] = config.minExplorationShare() / k + (post[i].cold() ? config.coldStartShare() : 0);
        }
        return Probabilities.withFloors(p, floor);
    }

    static long seed(PolicyState state, List<Arm> candidates, Object segment) {
        return state.linkId().hashCode() * 0x9E3779B97F4A7C15L + state.version() * 0xBF58476D1CE4E5B9L
                + candidates.hashCode() * 31L + (segment == null ? 0 : segment.hashCode());
    }

    /**
     * Posteriors of the candidates in one segment. The Beta prior is centred on the pooled rate of
     * all candidates; a new offer gets an optimistic prior centred on the best candidate's rate, so
     * it is tried rather than starved.
     */
    static Posterior[] posteriors(List<Arm> candidates, PolicyState state, String segment, Config config) {
        int k = candidates.size();
        double[] trials = new double[k];
        double[] conv = new double[k];
        ArmStats[] s = new ArmStats[k];
        double sumTrials = 0;
        double sumConv = 0;
        double sumPayout = 0;
        for (int i = 0; i < k; i++) {
            String offer = candidates.get(i).offerId();
            s[i] = state.stats(offer, segment);
            conv[i] = s[i].conversions();
            trials[i] = config.delayCorrection()
                    ? s[i].effectiveTrials(state.asOfMillis(), state.config(), state.delay(offer))
                    : Math.max(s[i].clicks(), conv[i]);
            sumTrials += trials[i];
            sumConv += conv[i];
            sumPayout += s[i].payoutSum();
        }
        // weak default of 2% until the link has data of its own
        double pooled = (sumConv + 0.5) / (sumTrials + 25);
        double pooledPayout = sumConv > 0 && sumPayout > 0 ? sumPayout / sumConv : 1;
        double bestMean = pooled;
        for (int i = 0; i < k; i++) {
            if (s[i].totalClicks() >= config.coldStartClicks()) {
                bestMean = Math.max(bestMean, (conv[i] + config.priorConversions())
                        / (trials[i] + config.priorConversions() / pooled));
            }
        }
        Posterior[] out = new Posterior[k];
        double c0 = config.priorConversions();
        for (int i = 0; i < k; i++) {
            boolean cold = s[i].totalClicks() < config.coldStartClicks();
            double m = cold ? bestMean : pooled;
            double a = c0 + conv[i];
            double b = c0 * (1 - m) / m + Math.max(0, trials[i] - conv[i]);
            double hint = candidates.get(i).payoutPerConversion() > 0
                    ? candidates.get(i).payoutPerConversion() : pooledPayout;
            double n = conv[i];
            double mean = (hint + s[i].payoutSum()) / (1 + n);
            double var;
            if (n > 1) {
                double mu = s[i].payoutSum() / n;
                var = Math.max(0, s[i].payoutSumSquares() / n - mu * mu);
            } else {
                var = 0.25 * hint * hint;
            }
            out[i] = new Posterior(a, b, mean, Math.sqrt(var / (1 + n)), cold);
        }
        return out;
    }
}
