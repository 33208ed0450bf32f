package io.affnet.distribution;

import java.util.random.RandomGenerator;

/** Small helpers on probability vectors. */
public final class Probabilities {

    private Probabilities() {
    }

    public static int sample(double[] p, RandomGenerator random) {
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) {
                return i;
            }
        }
        // rounding may leave the cumulative sum a hair under 1
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] > 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    public static double[] uniform(int k) {
        double[] p = new double[k];
        java.util.Arrays.fill(p, 1.0 / k);
        return p;
    }

    /** Normalises non-negative weights; all-zero weights become uniform. */
    public static double[] normalise(double[] w) {
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        if (!(sum > 0) || Double.isInfinite(sum)) {
            return uniform(w.length);
        }
        double[] p = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            p[i] = w[i] / sum;
        }
        return p;
    }

    /**
     * Mixes {@code p} with per-arm floors so that arm i gets at least {@code floor[i]}; floors that
     * sum to 1 or more leave only the (normalised) floors.
     */
    public static double[] withFloors(double[] p, double[] floor) {
        double total = 0;
        for (double f : floor) {
            total += f;
        }
        if (total >= 1) {
            return normalise(floor);
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = floor[i] + (1 - total) * p[i];
        }
        return out;
    }
}
