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

    @Test
    void aScrapeReadsTheStoresHeadOnceForAllItsGauges() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong stored = new java.util.concurrent.atomic.AtomicLong(41);
        org.axonframework.messaging.StreamableMessageSource<org.axonframework.eventhandling.TrackedEventMessage<?>> store =
                new org.axonframework.messaging.StreamableMessageSource<>() {
                    @Override
                    public org.axonframework.common.stream.BlockingStream<org.axonframework.eventhandling.TrackedEventMessage<?>> openStream(
                            org.axonframework.eventhandling.TrackingToken token) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public org.axonframework.eventhandling.TrackingToken createHeadToken() {
                        reads.incrementAndGet();
                        return new org.axonframework.eventhandling.GlobalSequenceTrackingToken(stored.get());
                    }
                };
        ProcessorLagMeters meters = new ProcessorLagMeters(Clock.systemUTC());
        for (int gauge = 0; gauge < 20; gauge++) {
            assertThat(meters.headPosition(store)).isEqualTo(41);
        }
        assertThat(reads).as("twenty gauges of one scrape").hasValue(1);
        stored.set(57);
        Thread.sleep(ProcessorLagMeters.HEAD_READ_MILLIS + 100);
        assertThat(meters.headPosition(store)).as("the next scrape sees the new head").isEqualTo(57);
        assertThat(reads).hasValue(2);
    }
}
