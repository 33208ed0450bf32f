package io.affnet.distribution;

import java.time.Duration;

/**
 * How observations are folded into statistics.
 *
 * @param halfLife          age at which an observation weighs half; zero disables discounting.
 *                          Discounting is what lets the policies follow offers whose conversion
 *                          rate drifts or jumps.
 * @param bucket            width of the recent-click buckets kept by click time
 * @param recentBuckets     how many buckets are kept; clicks older than that count as mature (their
 *                          conversions are assumed to have arrived)
 * @param delayPriorMean    mean of the exponential prior on click-to-conversion delay, used until an
 *                          offer has measured delays of its own
 * @param delayPriorWeight  how many measured delays the prior is worth
 */
public record LearningConfig(Duration halfLife, Duration bucket, int recentBuckets, Duration delayPriorMean,
                             double delayPriorWeight) {

    public static final LearningConfig DEFAULT =
            new LearningConfig(Duration.ofHours(30), Duration.ofHours(1), 72, Duration.ofHours(24), 5);

    public LearningConfig {
        if (halfLife.isNegative()) {
            throw new IllegalArgumentException("halfLife must be >= 0");
        }
        if (bucket.toMillis() <= 0 || recentBuckets < 1) {
            throw new IllegalArgumentException("bucket must be positive and recentBuckets >= 1");
        }
        if (delayPriorMean.toMillis() <= 0 || delayPriorWeight < 0) {
            throw new IllegalArgumentException("delayPriorMean must be positive and delayPriorWeight >= 0");
        }
    }

    public LearningConfig withHalfLife(Duration h) {
        return new LearningConfig(h, bucket, recentBuckets, delayPriorMean, delayPriorWeight);
    }

    /** Decay rate per millisecond. */
    public double lambdaPerMilli() {
        return halfLife.isZero() ? 0 : Math.log(2) / halfLife.toMillis();
    }

    public long bucketMillis() {
        return bucket.toMillis();
    }
}
