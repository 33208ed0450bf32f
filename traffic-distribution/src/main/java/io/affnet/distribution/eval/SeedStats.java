package io.affnet.distribution.eval;

import smile.stat.distribution.TDistribution;

/** Mean and Student-t 95% confidence half-width of a per-seed metric. */
public record SeedStats(double mean, double halfWidth, int n) {

    public static SeedStats of(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        if (n < 2) {
            return new SeedStats(mean, Double.NaN, n);
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = new TDistribution(n - 1).quantile(0.975);
        return new SeedStats(mean, t * sd / Math.sqrt(n), n);
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }
}
