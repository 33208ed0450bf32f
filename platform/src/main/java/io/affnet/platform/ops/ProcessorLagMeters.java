package io.affnet.platform.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far each streaming processor (processing group) is behind the event store, as this node sees
 * the segments it holds: in events (head position minus the lowest position of its segments) and in
 * seconds (now minus the time of the last event it handled, zero when it has nothing left to do; at
 * most the time since a scrape first saw it behind, so the first event after a quiet hour does not
 * read as an hour of lag).
 * NaN for a processor that holds no segment here (another node does its work).
 */
public class ProcessorLagMeters {

    static final String EVENTS = "affnet.processor.lag.events";
    static final String SECONDS = "affnet.processor.lag.seconds";

    private final Map<String, AtomicLong> lastHandledMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> behindSinceMillis = new ConcurrentHashMap<>();
    private final Clock clock;

    public ProcessorLagMeters(Clock clock) {
        this.clock = clock;
    }

    /** Remembers the timestamp of each event a processor handles: a volatile write per event. */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor(String processorName) {
        AtomicLong last = lastHandledMillis.computeIfAbsent(processorName, n -> new AtomicLong(-1));
        return new MessageHandlerInterceptor<>() {
            @Override
            public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
                last.set(unitOfWork.getMessage().getTimestamp().toEpochMilli());
                return chain.proceed();
            }
        };
    }

    /** Registers both gauges for every streaming processor (call once the processors exist). */
    public void bind(MeterRegistry registry, EventProcessingConfiguration processing,
                     StreamableMessageSource<?> eventStore) {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder(EVENTS, () -> eventsBehind(streaming, eventStore))
                        .description("Events the processing group has still to handle (on this node's segments)")
                        .tag("processing_group", name).register(registry);
                Gauge.builder(SECONDS, () -> secondsBehind(name, streaming, eventStore))
                        .description("Age of the last event the processing group handled while it is behind, in seconds")
                        .tag("processing_group", name).baseUnit("seconds").register(registry);
            }
        });
    }

    private static double eventsBehind(StreamingEventProcessor processor, StreamableMessageSource<?> eventStore) {
        OptionalLong lowest = lowestPosition(processor);
        if (lowest.isEmpty()) {
            return Double.NaN;
        }
        TrackingToken head = eventStore.createHeadToken();
        long headPosition = head == null ? -1 : head.position().orElse(-1);
        return Math.max(0, headPosition - lowest.getAsLong());
    }

    private double secondsBehind(String name, StreamingEventProcessor processor, StreamableMessageSource<?> eventStore) {
        double events = eventsBehind(processor, eventStore);
        if (Double.isNaN(events)) {
            return Double.NaN;
        }
        AtomicLong behindSince = behindSinceMillis.computeIfAbsent(name, n -> new AtomicLong(-1));
        long now = clock.millis();
        if (events == 0) {
            behindSince.set(-1);
            return 0;
        }
        behindSince.compareAndSet(-1, now);
        AtomicLong last = lastHandledMillis.get(name);
        long since = last == null || last.get() < 0 ? behindSince.get() : Math.max(last.get(), behindSince.get());
        return Math.max(0, now - since) / 1000.0;
    }

    private static OptionalLong lowestPosition(StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        if (segments.isEmpty()) {
            return OptionalLong.empty();
        }
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus s : segments.values()) {
            lowest = Math.min(lowest, s.getCurrentPosition().orElse(-1));
        }
        return OptionalLong.of(lowest);
    }
}
