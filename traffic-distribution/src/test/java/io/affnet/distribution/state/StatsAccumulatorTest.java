package io.affnet.distribution.state;

import io.affnet.distribution.ArmStats;
import io.affnet.distribution.DelayDistribution;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Segments;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.affnet.distribution.TestStates.CTX;
import static io.affnet.distribution.TestStates.HOUR;
import static io.affnet.distribution.TestStates.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsAccumulatorTest {

    private final LearningConfig config = LearningConfig.DEFAULT.withHalfLife(Duration.ofHours(10));

    @Test
    void countsClicksConversionsAndPayoutInEverySegmentOfTheContext() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClicks("a", CTX, T0, 10);
        acc.recordConversion("a", CTX, T0, T0, 7.5);
        PolicyState s = acc.snapshot(T0);
        for (String segment : Segments.of(CTX)) {
            ArmStats st = s.stats("a", segment);
            assertThat(st.clicks()).isEqualTo(10);
            assertThat(st.conversions()).isEqualTo(1);
            assertThat(st.payoutSum()).isEqualTo(7.5);
            assertThat(st.payoutSumSquares()).isEqualTo(56.25);
        }
        assertThat(s.stats("a", "dev=desktop").totalClicks()).isZero();
    }

    @Test
    void discountingForgetsOldObservations() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClicks("a", CTX, T0, 800);
        acc.recordConversion("a", CTX, T0, T0 + 1000, 10);
        ArmStats later = acc.snapshot(T0 + 30 * HOUR).stats("a", Segments.GLOBAL);
        assertThat(later.clicks()).isCloseTo(100, within(1e-6));
        assertThat(later.conversions()).isCloseTo(0.125, within(1e-6));
        assertThat(later.totalClicks()).isEqualTo(800);
    }

    @Test
    void aLateConversionWeighsAsMuchAsItsClick() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClick("a", CTX, T0);
        acc.recordConversion("a", CTX, T0, T0 + 10 * HOUR, 10);
        ArmStats s = acc.snapshot(T0 + 10 * HOUR).stats("a", Segments.GLOBAL);
        assertThat(s.conversions() / s.clicks()).isCloseTo(1, within(1e-9));
    }

    @Test
    void withoutDiscountingNothingIsForgotten() {
        StatsAccumulator acc = new StatsAccumulator("l", config.withHalfLife(Duration.ZERO));
        acc.recordClicks("a", CTX, T0, 800);
        assertThat(acc.snapshot(T0 + 1000 * HOUR).stats("a", Segments.GLOBAL).clicks()).isEqualTo(800);
    }

    @Test
    void recentClicksCountAsTrialsOnlyByTheDelayCdf() {
        StatsAccumulator acc = new StatsAccumulator("l", config.withHalfLife(Duration.ZERO));
        acc.recordClicks("a", CTX, T0 - 100 * HOUR, 1000);
        acc.recordClicks("a", CTX, T0 - 10 * 60_000, 1000);
        PolicyState s = acc.snapshot(T0);
        DelayDistribution delay = s.delay("a");
        double trials = s.stats("a", Segments.GLOBAL).effectiveTrials(T0, s.config(), delay);
        assertThat(trials).isGreaterThan(1000).isLessThan(1050);
    }

    @Test
    void keepsRecentBucketsByClickTimeForTheLastDayWindow() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClicks("a", CTX, T0 - 30 * HOUR, 50);
        acc.recordClicks("a", CTX, T0 - 2 * HOUR, 20);
        acc.recordConversion("a", CTX, T0 - 2 * HOUR, T0 - HOUR, 4);
        PolicyState s = acc.snapshot(T0);
        double[] w = s.stats("a", Segments.GLOBAL).window(24 * HOUR, s.config().bucketMillis());
        assertThat(w).containsExactly(20, 1, 4);
    }

    @Test
    void delaysOfOffersWithOnlyRecentClicksAreReweightedForCensoring() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClicks("a", CTX, T0 - 10 * HOUR, 100);
        acc.recordClicks("a", CTX, T0 - 4 * HOUR, 900);
        acc.recordConversion("a", CTX, T0 - 10 * HOUR, T0 - 3 * HOUR, 1);
        // a 7 h delay: only the 100 oldest of the 1000 clicks could have shown it
        assertThat(acc.snapshot(T0).delay("a").observations()).isCloseTo(10, within(1e-9));
    }

    @Test
    void restoringASnapshotContinuesWhereItStopped() {
        StatsAccumulator acc = new StatsAccumulator("l", config);
        acc.recordClicks("a", CTX, T0, 10);
        StatsAccumulator restored = StatsAccumulator.restore(acc.snapshot(T0 + HOUR));
        acc.recordClicks("a", CTX, T0 + 2 * HOUR, 5);
        restored.recordClicks("a", CTX, T0 + 2 * HOUR, 5);
        ArmStats expected = acc.snapshot(T0 + 3 * HOUR).stats("a", Segments.GLOBAL);
        ArmStats actual = restored.snapshot(T0 + 3 * HOUR).stats("a", Segments.GLOBAL);
        assertThat(actual.clicks()).isCloseTo(expected.clicks(), within(1e-9));
        assertThat(actual.recentClicks()).containsExactly(expected.recentClicks());
    }
}
