package io.affnet.platform.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TypeSkippingStreamTest {

    record Click(int n) {
    }

    record Conversion(int n) {
    }

    /** An in-memory stream: what was added so far is available, nothing blocks. */
    static final class Source implements BlockingStream<TrackedEventMessage<?>> {
        final Deque<TrackedEventMessage<?>> events = new ArrayDeque<>();
        final List<Class<?>> skipRequests = new ArrayList<>();
        long index;

        Source add(Object... payloads) {
            for (Object payload : payloads) {
                events.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(++index),
                        GenericEventMessage.asEventMessage(payload)));
            }
            return this;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.ofNullable(events.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            return !events.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return events.remove();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignored) {
            skipRequests.add(ignored.getPayloadType());
        }

        @Override
        public void close() {
        }
    }

    private static List<Object> drain(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        while (stream.hasNextAvailable()) {
            out.add(stream.nextAvailable().getPayload());
        }
        return out;
    }

    private static long position(TrackedEventMessage<?> event) {
        return event.trackingToken().position().orElseThrow();
    }

    @Test
    void handsOutEverythingUntilTheProcessorSaysItCannotHandleAType() throws Exception {
        Source source = new Source().add(new Click(1), new Conversion(1), new Click(2));
        TypeSkippingStream stream = new TypeSkippingStream(source);
        assertThat(drain(stream)).containsExactly(new Click(1), new Conversion(1), new Click(2));
        assertThat(stream.skippedCount()).isZero();
    }

    @Test
    void leavesOutTheTypeOnceToldAndPassesTheRequestOn() throws Exception {
        Source source = new Source().add(new Click(1));
        TypeSkippingStream stream = new TypeSkippingStream(source);
        TrackedEventMessage<?> first = stream.nextAvailable();
        stream.skipMessagesWithPayloadTypeOf(first);
        assertThat(source.skipRequests).containsExactly(Click.class);

        source.add(new Click(2), new Click(3), new Conversion(1), new Click(4), new Conversion(2), new Conversion(3));
        assertThat(drain(stream)).as("in order, without the clicks")
                .containsExactly(new Conversion(1), new Conversion(2), new Conversion(3));
        assertThat(stream.skippedCount()).isEqualTo(3);
    }

    @Test
    void aSkippedRunAtTheHeadEndsWithItsLastEventSoTheTokenReachesTheHead() throws Exception {
        Source source = new Source().add(new Click(1));
        TypeSkippingStream stream = new TypeSkippingStream(source);
        stream.skipMessagesWithPayloadTypeOf(stream.nextAvailable());

        source.add(new Conversion(1), new Click(2), new Click(3), new Click(4));
        assertThat(stream.nextAvailable().getPayload()).isEqualTo(new Conversion(1));
        assertThat(stream.hasNextAvailable()).isTrue();
        TrackedEventMessage<?> tail = stream.peek().orElseThrow();
        assertThat(tail.getPayload()).isEqualTo(new Click(4));
        assertThat(position(stream.nextAvailable())).isEqualTo(source.index);
        assertThat(stream.hasNextAvailable()).isFalse();
        assertThat(stream.peek()).isEmpty();
        assertThat(stream.skippedCount()).isEqualTo(3);
    }

    @Test
    void waitingForEventsEndsAtTheTimeoutWhenNothingComes() throws Exception {
        TypeSkippingStream stream = new TypeSkippingStream(new Source());
        assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();
    }

    @Test
    void aLongSkippedRunIsCutSoTheCoordinatorGetsBackToItsWorkPackages() throws Exception {
        Source source = new Source().add(new Click(0));
        TypeSkippingStream stream = new TypeSkippingStream(source);
        stream.skipMessagesWithPayloadTypeOf(stream.nextAvailable());
        for (int i = 1; i <= 3 * TypeSkippingStream.MAX_SKIPPED_RUN; i++) {
            source.add(new Click(i));
        }
        source.add(new Conversion(1));

        List<Long> positions = new ArrayList<>();
        TrackedEventMessage<?> event;
        do {
            event = stream.nextAvailable();
            positions.add(position(event));
        } while (!(event.getPayload() instanceof Conversion));
        long m = TypeSkippingStream.MAX_SKIPPED_RUN;
        assertThat(positions).containsExactly(1 + m, 1 + 2 * m, 1 + 3 * m, source.index);
    }

    @Test
    void leavesOutTheEventsTheProcessorIgnoresAndStillEndsARunWithItsLast() throws Exception {
        Source source = new Source().add(new Click(1), new Click(2), new Conversion(1), new Click(3), new Click(4), new Click(5));
        // e.g. distribution-stats: clicks not on a smart link (here: odd numbers) are ignored.
        TypeSkippingStream stream = new TypeSkippingStream(source,
                event -> event.getPayload() instanceof Click c && c.n() % 2 == 1);
        List<Long> positions = new ArrayList<>();
        List<Object> payloads = new ArrayList<>();
        while (stream.hasNextAvailable()) {
            TrackedEventMessage<?> event = stream.nextAvailable();
            positions.add(position(event));
            payloads.add(event.getPayload());
        }
        assertThat(payloads).as("Click 5 is the last of a skipped run at the head: handed out so the token reaches it")
                .containsExactly(new Click(2), new Conversion(1), new Click(4), new Click(5));
        assertThat(positions).containsExactly(2L, 3L, 5L, 6L);
        assertThat(stream.skippedCount()).isEqualTo(3);
        assertThat(source.skipRequests).isEmpty();
    }
}
