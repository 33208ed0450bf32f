package io.affnet.distribution.policy;

import java.util.random.RandomGenerator;

/** Gamma, Beta and Normal draws used by the Thompson-sampling policies. */
final class Sampling {

    private Sampling() {
    }

    /** Marsaglia and Tsang (2000); shapes below 1 through the U^(1/a) boost. */
    static double gamma(double shape, RandomGenerator r) {
        if (shape < 1) {
            double u = r.nextDouble();
            return gamma(shape + 1, r) * Math.pow(u == 0 ? Double.MIN_NORMAL : u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = r.nextDouble();
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2) {
                return d * v;
            }
            if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    static double beta(double a, double b, RandomGenerator r) {
        double x = gamma(a, r);
        double y = gamma(b, r);
        double s = x + y;
        return s > 0 ? x / s : a / (a + b);
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-12, Math.max(1e-12, p));
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
