package io.affnet.distribution;

import java.util.Arrays;

/**
 * What is known about one offer of one link in one segment, as of the owning state's time.
 *
 * @param clicks            discounted click count (every click, whether its conversion could have
 *                          arrived yet or not)
 * @param conversions       discounted conversions, each weighted by the age of its click
 * @param payoutSum         discounted sum of conversion payouts
 * @param payoutSumSquares  discounted sum of squared payouts (payout variance for the EPC posterior)
 * @param totalClicks       undiscounted lifetime clicks (cold start)
 * @param totalConversions  undiscounted lifetime conversions
 * @param recentClicks      raw clicks per bucket by click time, index 0 = the bucket holding the state
 *                          time; their conversions may still be on the way (delay correction)
 * @param recentConversions raw conversions per bucket of their click time
 * @param recentPayout      raw payout per bucket of their click time
 */
public record ArmStats(double clicks, double conversions, double payoutSum, double payoutSumSquares,
                       long totalClicks, long totalConversions, long firstClickMillis, long lastEventMillis,
                       double[] recentClicks, double[] recentConversions, double[] recentPayout) {

    public static ArmStats empty(int buckets) {
        return new ArmStats(0, 0, 0, 0, 0, 0, 0, 0, new double[buckets], new double[buckets], new double[buckets]);
    }

    /**
     * Discounted clicks whose conversions should have arrived by now: a recent click counts only by
     * the probability that its conversion, if any, has already been reported. Without this, the offer
     * that currently gets most traffic looks worse than it is.
     */
    public double effectiveTrials(long asOfMillis, LearningConfig config, DelayDistribution delay) {
        double lambda = config.lambdaPerMilli();
        double pending = 0;
        for (int b = 0; b < recentClicks.length; b++) {
            double n = recentClicks[b];
            if (n == 0) {
                continue;
            }
            double age = ageMillis(b, asOfMillis, config.bucketMillis());
            pending += n * Math.exp(-lambda * age) * (1 - delay.cdf(age));
        }
        return Math.max(clicks - pending, conversions);
    }

    /** Midpoint age of bucket {@code b} at {@code asOfMillis}. */
    public static double ageMillis(int b, long asOfMillis, long bucketMillis) {
        long start = (Math.floorDiv(asOfMillis, bucketMillis) - b) * bucketMillis;
        long end = Math.min(start + bucketMillis, asOfMillis);
        return asOfMillis - (start + end) / 2.0;
    }

    /** Raw sums of the buckets covering the last {@code windowMillis}: [clicks, conversions, payout]. */
    public double[] window(long windowMillis, long bucketMillis) {
        int n = (int) Math.min(recentClicks.length, Math.max(1, windowMillis / bucketMillis));
        double c = 0;
        double v = 0;
        double p = 0;
        for (int b = 0; b < n; b++) {
            c += recentClicks[b];
            v += recentConversions[b];
            p += recentPayout[b];
        }
        return new double[] {c, v, p};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmStats s && clicks == s.clicks && conversions == s.conversions
                && payoutSum == s.payoutSum && payoutSumSquares == s.payoutSumSquares
                && totalClicks == s.totalClicks && totalConversions == s.totalConversions
                && firstClickMillis == s.firstClickMillis && lastEventMillis == s.lastEventMillis
                && Arrays.equals(recentClicks, s.recentClicks) && Arrays.equals(recentConversions, s.recentConversions)
                && Arrays.equals(recentPayout, s.recentPayout);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(clicks) * 31 + Long.hashCode(totalClicks) * 17 + Arrays.hashCode(recentClicks);
    }

    @Override
    public String toString() {
        return "ArmStats[clicks=" + clicks + ", conversions=" + conversions + ", payoutSum=" + payoutSum
                + ", totalClicks=" + totalClicks + ", totalConversions=" + totalConversions + "]";
    }
}
