package io.affnet.distribution.ope;

/**
 * An off-policy estimate of a policy's mean reward per decision with a 95% confidence interval.
 *
 * @param used events that contributed (all for IPW, the matched ones for replay)
 */
public record Estimate(String estimator, double value, double low, double high, int events, int used) {
}
