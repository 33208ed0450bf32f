package io.affnet.platform.config;

import io.affnet.platform.config.TypeSkippingStreamTest.Click;
import io.affnet.platform.config.TypeSkippingStreamTest.Source;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LingeringSourceTest {

    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private LingeringSource.Stream lingering(Source source, long lingerNanos, int minBatch) {
        return new LingeringSource.Stream(source, lingerNanos, minBatch, now::get);
    }

    private static List<Object> drain(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (stream.hasNextAvailable()) {
            out.add(stream.nextAvailable().getPayload());
        }
        return out;
    }

    @Test
    void holdsAFewEventsAtTheHeadUntilTheFirstHasWaitedItsLingerThenHandsOutAllInOrder() throws Exception {
        Source source = new Source().add(new Click(1), new Click(2));
        LingeringSource.Stream stream = lingering(source, LINGER, 5);

        assertThat(stream.hasNextAvailable()).isFalse();
        now.addAndGet(LINGER / 2);
        source.add(new Click(3));
        assertThat(stream.hasNextAvailable()).isFalse();
        now.addAndGet(LINGER / 2);

        assertThat(drain(stream)).containsExactly(new Click(1), new Click(2), new Click(3));
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    @Test
    void aFullBatchGoesAtOnceAndWhatFollowsItWhileReleasingIsNotHeld() throws Exception {
        Source source = new Source().add(new Click(1), new Click(2), new Click(3));
        LingeringSource.Stream stream = lingering(source, LINGER, 3);

        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(new Click(1));
        source.add(new Click(4));
        assertThat(drain(stream)).containsExactly(new Click(2), new Click(3), new Click(4));

        // Empty again: the next event is held once more.
        source.add(new Click(5));
        assertThat(stream.hasNextAvailable()).isFalse();
        now.addAndGet(LINGER);
        assertThat(drain(stream)).containsExactly(new Click(5));
    }

    @Test
    void behindTheHeadNothingWaits() throws Exception {
        Source source = new Source();
        for (int i = 0; i < 1000; i++) {
            source.add(new Click(i));
        }
        LingeringSource.Stream stream = lingering(source, LINGER, 500);
        List<Object> out = drain(stream);
        assertThat(out).hasSize(1000);
        assertThat(out.get(0)).isEqualTo(new Click(0));
        assertThat(out.get(999)).isEqualTo(new Click(999));
    }

    @Test
    void tellsTheCoordinatorToLookAgainWhenTheLingerEnds() throws Exception {
        Source source = new Source().add(new Click(1));
        LingeringSource.Stream stream = new LingeringSource.Stream(source, TimeUnit.MILLISECONDS.toNanos(50), 10,
                System::nanoTime);
        CountDownLatch woken = new CountDownLatch(1);
        stream.setOnAvailableCallback(woken::countDown);
        long start = System.nanoTime();

        assertThat(stream.hasNextAvailable()).isFalse();
        assertThat(woken.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(drain(stream)).containsExactly(new Click(1));
    }

    @Test
    void theTimedWaitReturnsTheHeldEventsOnceTheirLingerHasPassed() throws Exception {
        Source source = new Source().add(new Click(1));
        LingeringSource.Stream stream = new LingeringSource.Stream(source, TimeUnit.MILLISECONDS.toNanos(30), 10,
                System::nanoTime);
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(new Click(1));
        assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void noLingerLeavesTheSourceAsItIs() {
        Source source = new Source();
        StreamableMessageSource<TrackedEventMessage<?>> events = new StreamableMessageSource<>() {
                    @Override
                    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
                        return source;
                    }
                };
        assertThat(LingeringSource.of(events, Duration.ZERO, 500)).isSameAs(events);
        assertThat(LingeringSource.of(events, Duration.ofMillis(100), 1)).isSameAs(events);
        assertThat(LingeringSource.of(events, Duration.ofMillis(100), 500).openStream(null))
                .isInstanceOf(LingeringSource.Stream.class);
    }
}
