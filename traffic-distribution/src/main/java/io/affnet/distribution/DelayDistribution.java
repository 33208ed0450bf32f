package io.affnet.distribution;

import java.util.Arrays;

/**
 * The measured click-to-conversion delays of one offer, as a histogram on log-spaced bins (one
 * minute doubling every two bins, up to about a month), blended with an exponential prior so that
 * an offer with few conversions still has a usable CDF.
 */
public final class DelayDistribution {

    public static final int BINS = 32;
    private static final double[] EDGES = new double[BINS + 1];

    static {
        EDGES[0] = 0;
        for (int i = 1; i <= BINS; i++) {
            EDGES[i] = 60_000.0 * Math.pow(2, (i - 1) / 2.0);
        }
    }

    private final double[] counts;
    private final double priorMeanMillis;
    private final double priorWeight;
    private final double[] cumulative;

    public DelayDistribution(double[] counts, double priorMeanMillis, double priorWeight) {
        if (counts.length != BINS) {
            throw new IllegalArgumentException("expected " + BINS + " delay bins, got " + counts.length);
        }
        this.counts = counts.clone();
        this.priorMeanMillis = priorMeanMillis;
        this.priorWeight = priorWeight;
        this.cumulative = new double[BINS + 1];
        double total = priorWeight;
        for (double c : counts) {
            total += c;
        }
        double acc = 0;
        for (int i = 0; i < BINS; i++) {
            double upper = i == BINS - 1 ? Double.POSITIVE_INFINITY : EDGES[i + 1];
            double prior = priorWeight * (expCdf(upper) - expCdf(EDGES[i]));
            acc += counts[i] + prior;
            cumulative[i + 1] = total > 0 ? acc / total : 0;
        }
    }

    public static DelayDistribution prior(LearningConfig config) {
        return new DelayDistribution(new double[BINS], config.delayPriorMean().toMillis(), config.delayPriorWeight());
    }

    public static int binOf(long delayMillis) {
        int i = Arrays.binarySearch(EDGES, delayMillis);
        int bin = i >= 0 ? i : -i - 2;
        return Math.max(0, Math.min(BINS - 1, bin));
    }

    private double expCdf(double t) {
        return t == Double.POSITIVE_INFINITY ? 1 : 1 - Math.exp(-t / priorMeanMillis);
    }

    /** Share of conversions expected to have arrived {@code ageMillis} after the click. */
    public double cdf(double ageMillis) {
        if (ageMillis <= 0) {
            return 0;
        }
        int bin = binOf((long) ageMillis);
        if (bin == BINS - 1 && ageMillis >= EDGES[BINS - 1]) {
            return 1;
        }
        double lo = EDGES[bin];
        double hi = EDGES[bin + 1];
        double f = (ageMillis - lo) / (hi - lo);
        return cumulative[bin] + f * (cumulative[bin + 1] - cumulative[bin]);
    }

    public DelayDistribution plus(long delayMillis, double weight) {
        double[] c = counts.clone();
        c[binOf(delayMillis)] += weight;
        return new DelayDistribution(c, priorMeanMillis, priorWeight);
    }

    public double[] counts() {
        return counts.clone();
    }

    public double observations() {
        double s = 0;
        for (double c : counts) {
            s += c;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelayDistribution d && Arrays.equals(counts, d.counts)
                && priorMeanMillis == d.priorMeanMillis && priorWeight == d.priorWeight;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts) * 31 + Double.hashCode(priorMeanMillis);
    }

    @Override
    public String toString() {
        return "DelayDistribution" + Arrays.toString(counts);
    }
}
