package io.affnet.distribution;

import io.affnet.distribution.state.StatsAccumulator;

import java.util.List;
import java.util.SplittableRandom;

/** Builds trained states for policy tests. */
public final class TestStates {

    public static final long T0 = 1_700_000_000_000L;
    public static final long HOUR = 3_600_000L;
    public static final Context CTX = new Context("US", "mobile", "aff1", 12);

    private TestStates() {
    }

    public static List<Arm> arms(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new Arm(id, 10)).toList();
    }

    /**
     * Clicks spread evenly over {@code hours} hours ending at {@code end}, each converting (payout 10)
     * with its rate after a delay of one minute, so all feedback has arrived at {@code end}.
     */
    public static void train(StatsAccumulator acc, Context ctx, String offer, int clicks, double cvr, long start,
                             long end, SplittableRandom r) {
        for (int i = 0; i < clicks; i++) {
            long t = start + (end - start - 120_000) * i / clicks;
            acc.recordClick(offer, ctx, t);
            if (r.nextDouble() < cvr) {
                acc.recordConversion(offer, ctx, t, t + 60_000, 10);
            }
        }
    }
}
