package io.affnet.platform.config;

import io.affnet.platform.support.PlatformIT;
import io.affnet.projections.report.EventPositions;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The doorbell runs a stream's availability callback when events are appended (Axon's own streams never do). */
class EventDoorbellIT extends PlatformIT {

    @Autowired
    EventDoorbell doorbell;
    @Autowired
    EventStore eventStore;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void everyPooledProcessorReadsThroughTheDoorbell() throws Exception {
        // The processor has no getter for its source; its field is the only way to see which one it got
        // (the default configuration must win over none of the processors' own, properties included).
        Field source = PooledStreamingEventProcessor.class.getDeclaredField("messageSource");
        source.setAccessible(true);
        Map<String, Object> sources = new TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof PooledStreamingEventProcessor pooled) {
                try {
                    Object own = source.get(pooled);
                    // report-views reads the doorbell's source through the wrapper that tags global indices.
                    sources.put(name, own instanceof EventPositions.TaggingSource tagging ? tagging.delegate() : own);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        assertThat(sources).containsKeys("core-views", "report-views", "outbound-postbacks");
        assertThat(source.get(processing.eventProcessor("report-views", PooledStreamingEventProcessor.class).orElseThrow()))
                .isInstanceOf(EventPositions.TaggingSource.class);
        assertThat(sources).allSatisfy((name, s) -> assertThat(s.getClass().getEnclosingClass()).as(name)
                .isEqualTo(EventDoorbell.class));
    }

    @Test
    void appendedEventsRingTheOpenStreamsAndAClosedStreamIsForgotten() throws Exception {
        try (BlockingStream<TrackedEventMessage<?>> plain = eventStore.openStream(eventStore.createHeadToken())) {
            assertThat(plain.setOnAvailableCallback(() -> { }))
                    .as("Axon's stream has no callback, which is why the doorbell exists").isFalse();
        }
        StreamableMessageSource<TrackedEventMessage<?>> source = doorbell.ringing(eventStore);
        String payload = "doorbell-" + UUID.randomUUID();
        CountDownLatch rung = new CountDownLatch(1);
        AtomicInteger closedRings = new AtomicInteger();
        BlockingStream<TrackedEventMessage<?>> closed = source.openStream(source.createHeadToken());
        assertThat(closed.setOnAvailableCallback(closedRings::incrementAndGet)).isTrue();
        closed.close();
        try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(source.createHeadToken())) {
            assertThat(stream.setOnAvailableCallback(rung::countDown)).isTrue();
            // Appended until the callback runs: the doorbell's own stream may still be opening at the head.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                eventStore.publish(GenericEventMessage.asEventMessage(payload));
                return rung.await(1, TimeUnit.SECONDS);
            });
            assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().getPayload()).isEqualTo(payload);
        }
        assertThat(closedRings).hasValue(0);
    }
}
