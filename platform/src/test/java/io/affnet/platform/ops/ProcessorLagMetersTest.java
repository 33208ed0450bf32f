package io.affnet.platform.ops;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code affnet_processor_lag_seconds} (issue 17): the age of the oldest event a processor has not passed,
 * not "since a scrape first saw it behind". The soak read 2 to 5 s for the payout groups, which handle
 * none of the click traffic and were a few events behind at each scrape (each time other ones).
 */
class ProcessorLagMetersTest {

    /** The platform's own steppable clock, held at a fixed instant and moved by the tests. */
    private final SteppableClock clock = new SteppableClock(Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC));

    private long now() {
        return clock.millis();
    }

    private void step(long millis) {
        clock.offset(clock.offset().plusMillis(millis));
    }

    @Test
    void aProcessorThatKeepsUpReadsNoLagThoughEveryScrapeFindsItAFewEventsBehind() {
        ProcessorLagMeters exact = new ProcessorLagMeters(clock, () -> clock);
        // Events arrive every 10 ms; the processor passes each within 30 ms: 3 behind at every scrape, 2 s apart.
        exact.readEventTimes(position -> OptionalLong.of(now() - 30));
        ProcessorLagMeters estimated = new ProcessorLagMeters(clock, () -> clock);
        double exactMax = 0;
        double estimatedMax = 0;
        for (int scrape = 0; scrape < 6; scrape++) {
            long lowest = 200L * scrape;
            exactMax = Math.max(exactMax, exact.secondsBehind("payout-views", lowest, lowest + 3));
            estimatedMax = Math.max(estimatedMax, estimated.secondsBehind("payout-views", lowest, lowest + 3));
            step(2_000);
        }
        assertThat(exactMax).isEqualTo(0.03);
        // The old estimate (kept where the event table cannot be read) grows with every scrape that finds it behind.
        assertThat(estimatedMax).isEqualTo(10.0);
    }

    @Test
    void aProcessorReallyBehindReadsTheAgeOfItsOldestEventNotPassedAskingOncePerPosition() {
        ProcessorLagMeters meters = new ProcessorLagMeters(clock, () -> clock);
        long start = now();
        List<Long> asked = new ArrayList<>();
        // Event n was stored at start - 10 s + n * 10 ms.
        meters.readEventTimes(position -> {
            asked.add(position);
            return OptionalLong.of(start - 10_000 + (position + 1) * 10);
        });
        assertThat(meters.secondsBehind("report-views", 99, 5_000)).isEqualTo(9.0);
        step(1_000);
        assertThat(meters.secondsBehind("report-views", 99, 5_100)).as("not moved: one second older").isEqualTo(10.0);
        assertThat(meters.secondsBehind("report-views", 499, 5_100)).isEqualTo(6.0);
        assertThat(asked).containsExactly(99L, 499L);
        assertThat(meters.secondsBehind("report-views", 5_100, 5_100)).as("at the head").isZero();
    }

    @Test
    void aGapAtTheHeadOrAnUnreadableTableReadsNoFalseLag() {
        ProcessorLagMeters meters = new ProcessorLagMeters(clock, () -> clock);
        meters.readEventTimes(position -> OptionalLong.empty());
        assertThat(meters.secondsBehind("core-views", 10, 11)).as("the index after it is not committed yet").isZero();
        meters.readEventTimes(position -> {
            throw new IllegalStateException("relation does not exist");
        });
        assertThat(meters.secondsBehind("core-views", 10, 11)).as("the estimate: first seen behind now").isZero();
        step(1_500);
        assertThat(meters.secondsBehind("core-views", 10, 11)).isEqualTo(1.5);
    }
}
