package io.affnet.distribution.eval;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;
import io.affnet.distribution.state.StatsAccumulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one policy on one scenario in update-sized batches. At the start of every batch the
 * conversions whose delay has elapsed are folded into the statistics and a new state snapshot is
 * taken; during the batch every click is routed with the policy's probabilities for its context,
 * exactly as the click path would with that snapshot. Value is counted as expected earnings (true
 * conversion rate times payout of the chosen offer), which removes conversion noise from the
 * comparison without changing what the policy sees.
 */
public final class Simulator {

    static final long DAY = 86_400_000L;
    /** A Monday, 00:00 UTC: hour-of-day follows simulated time. */
    static final long START = 19_662L * DAY;

    private final LearningConfig learning;

    public Simulator(LearningConfig learning) {
        this.learning = learning;
    }

    /** Expected earnings of the policy and of the oracle over the scenario's report window. */
    public record Result(double value, double oracleValue, long clicks) {
        public double epc() {
            return value / clicks;
        }

        public double oracleEpc() {
            return oracleValue / clicks;
        }

        public double oraclePct() {
            return 100 * value / oracleValue;
        }
    }

    public Result run(Scenario sc, Policy policy, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long batchMs = sc.updateEveryMinutes() * 60_000L;
        int batches = (int) Math.round(sc.days() * DAY / batchMs);
        List<Scenario.Offer> offers = sc.offers();
        List<Scenario.Segment> segments = sc.segments();
        int k = offers.size();
        int nSeg = segments.size();
        StatsAccumulator acc = new StatsAccumulator("sim-" + sc.name() + "-" + seed, learning);
        @SuppressWarnings("unchecked")
        List<long[]>[] arrivals = new List[batches + 1];
        Arm[] arms = new Arm[k];
        for (int i = 0; i < k; i++) {
            arms[i] = new Arm(offers.get(i).id(), offers.get(i).payout());
        }
        double[] segCum = new double[nSeg];
        double c = 0;
        for (int s = 0; s < nSeg; s++) {
            c += segments.get(s).share();
            segCum[s] = c;
        }
        double clicksPerBatch = sc.clicksPerDay() * batchMs / DAY;
        double carry = 0;
        double value = 0;
        double oracle = 0;
        long clicks = 0;
        int[][] counts = new int[nSeg][k];
        double[][] cvr = new double[nSeg][k];
        for (int b = 0; b < batches; b++) {
            long now = START + b * batchMs;
            if (arrivals[b] != null) {
                for (long[] a : arrivals[b]) {
                    int offer = (int) a[0];
                    int seg = (int) a[1];
                    long clickAt = a[2];
                    acc.recordConversion(offers.get(offer).id(), contextAt(segments.get(seg), clickAt), clickAt,
                            a[3], offers.get(offer).payout());
                }
                arrivals[b] = null;
            }
            PolicyState state = acc.snapshot(now);
            double day = (double) b * batchMs / DAY;
            List<Arm> candidates = new ArrayList<>(k);
            int[] index = new int[k];
            for (int i = 0; i < k; i++) {
                if (offers.get(i).activeAt(day)) {
                    index[candidates.size()] = i;
                    candidates.add(arms[i]);
                }
            }
            carry += clicksPerBatch;
            int n = (int) carry;
            carry -= n;
            if (candidates.isEmpty() || n == 0) {
                continue;
            }
            long clickAt = now + batchMs / 2;
            double[][] p = new double[nSeg][];
            for (int s = 0; s < nSeg; s++) {
                p[s] = policy.probabilities(candidates, contextAt(segments.get(s), clickAt), state);
                java.util.Arrays.fill(counts[s], 0);
                for (int j = 0; j < candidates.size(); j++) {
                    cvr[s][j] = offers.get(index[j]).cvrAt(day, segments.get(s).name());
                }
            }
            for (int x = 0; x < n; x++) {
                int s = nSeg == 1 ? 0 : segmentOf(segCum, rnd.nextDouble());
                counts[s][Probabilities.sample(p[s], rnd)]++;
            }
            boolean report = day >= sc.reportFromDay();
            for (int s = 0; s < nSeg; s++) {
                double bestEpc = 0;
                for (int j = 0; j < candidates.size(); j++) {
                    bestEpc = Math.max(bestEpc, cvr[s][j] * arms[index[j]].payoutPerConversion());
                }
                Context ctx = contextAt(segments.get(s), clickAt);
                for (int j = 0; j < candidates.size(); j++) {
                    int m = counts[s][j];
                    if (m == 0) {
                        continue;
                    }
                    int offer = index[j];
                    if (report) {
                        value += m * cvr[s][j] * arms[offer].payoutPerConversion();
                        oracle += m * bestEpc;
                        clicks += m;
                    }
                    acc.recordClicks(arms[offer].offerId(), ctx, clickAt, m);
                    for (int x = 0; x < m; x++) {
                        if (rnd.nextDouble() < cvr[s][j]) {
                            long at = clickAt + sc.delay().sampleMillis(rnd);
                            long due = Math.floorDiv(at - START + batchMs - 1, batchMs);
                            if (due < batches) {
                                if (arrivals[(int) due] == null) {
                                    arrivals[(int) due] = new ArrayList<>();
                                }
                                arrivals[(int) due].add(new long[] {offer, s, clickAt, at});
                            }
                        }
                    }
                }
            }
        }
        return new Result(value, oracle, clicks);
    }

    private static int segmentOf(double[] cum, double u) {
        for (int s = 0; s < cum.length; s++) {
            if (u < cum[s]) {
                return s;
            }
        }
        return cum.length - 1;
    }

    private static Context contextAt(Scenario.Segment seg, long millis) {
        Context c = seg.context();
        int hour = (int) ((millis / 3_600_000L) % 24);
        return new Context(c.country(), c.deviceClass(), c.source(), hour);
    }

}
