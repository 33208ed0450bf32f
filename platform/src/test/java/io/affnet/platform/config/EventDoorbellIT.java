package io.affnet.platform.config;

import io.affnet.platform.support.PlatformIT;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The doorbell runs a stream's availability callback when events are appended (Axon's own streams never do). */
class EventDoorbellIT extends PlatformIT {

    @Autowired
    EventDoorbell doorbell;
    @Autowired
    EventStore eventStore;

    @Test
    void appendedEventsRingTheOpenStreamsAndAClosedStreamIsForgotten() throws Exception {
        assertThat(eventStore.openStream(eventStore.createHeadToken()).setOnAvailableCallback(() -> { }))
                .as("Axon's stream has no callback, which is why the doorbell exists").isFalse();
        StreamableMessageSource<TrackedEventMessage<?>> source = doorbell.ringing(eventStore);
        String payload = "doorbell-" + UUID.randomUUID();
        CountDownLatch rung = new CountDownLatch(1);
        AtomicInteger closedRings = new AtomicInteger();
        BlockingStream<TrackedEventMessage<?>> closed = source.openStream(source.createHeadToken());
        assertThat(closed.setOnAvailableCallback(closedRings::incrementAndGet)).isTrue();
        closed.close();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createHeadToken())) {
            assertThat(stream.setOnAvailableCallback(rung::countDown)).isTrue();
            // Let the doorbell's own stream open at the head first, or it would start after the event.
            Thread.sleep(1500);
            assertThat(stream.hasNextAvailable()).isFalse();
            eventStore.publish(GenericEventMessage.asEventMessage(payload));
            assertThat(rung.await(10, TimeUnit.SECONDS)).as("callback run after the append").isTrue();
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo(payload);
        }
        assertThat(closedRings).hasValue(0);
    }
}
