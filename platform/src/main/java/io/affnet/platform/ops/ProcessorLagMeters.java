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
 * seconds: the age of the oldest event it has not passed yet (the first event after the lowest
 * position of its segments, read from the event table: one indexed query per scrape, none while the
 * position has not moved), zero when it has nothing left to do.
 * NaN for a processor that holds no segment here (another node does its work).
 * <p>
 * Before issue 17 the seconds were "now minus the time of the last event the processor handled, at most
 * the time since a scrape first saw it behind". A processor that handles few of the events (the payout
 * and ledger groups under click traffic) is a few events behind at most scrapes of a busy store, each
 * time other ones, yet the figure kept growing from the first of those scrapes until one found it exactly
 * at the head: 2 to 5 s with scrapes 2 s apart, more the busier the store, while its real lag was a few
 * milliseconds. That estimate remains the fallback when the event table cannot be read (another store).
 */
public class ProcessorLagMeters {

    static final String EVENTS = "affnet.processor.lag.events";
    static final String SECONDS = "affnet.processor.lag.seconds";

    private final Map<String, AtomicLong> lastHandledMillis = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> behindSinceMillis = new ConcurrentHashMap<>();
    private final Map<String, Oldest> oldest = new ConcurrentHashMap<>();
    private final Clock clock;
    /** The clock of event timestamps: Axon's ({@code GenericEventMessage.clock}, a static it reads each time). */
    private final java.util.function.Supplier<Clock> eventClock;
    private volatile EventTimes eventTimes;
    private volatile boolean eventTimesFailed;

    /** The time of the first event stored after a global position. */
    @FunctionalInterface
    public interface EventTimes {
        /** The timestamp (epoch ms) of the first event with a global index above {@code position}, empty if none. */
        OptionalLong firstAfter(long position);
    }

    /** The first not yet passed event's time, remembered for the position it was read at. */
    private record Oldest(long position, long millis) {
    }

    /** Lag in seconds estimated from the events handled until {@link #readEventTimes} is called. */
    public ProcessorLagMeters(Clock clock) {
        this(clock, () -> org.axonframework.eventhandling.GenericEventMessage.clock);
    }

    ProcessorLagMeters(Clock clock, java.util.function.Supplier<Clock> eventClock) {
        this.clock = clock;
        this.eventClock = eventClock;
    }

    /** From now on lag in seconds is the age of the oldest event not passed, read through {@code eventTimes}. */
    public void readEventTimes(EventTimes eventTimes) {
        this.eventTimes = eventTimes;
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
                        .description("Age of the oldest event the processing group has not passed yet (on this node's segments), in seconds")
                        .tag("processing_group", name).baseUnit("seconds").register(registry);
            }
        });
    }

    private double eventsBehind(StreamingEventProcessor processor, StreamableMessageSource<?> eventStore) {
        OptionalLong lowest = lowestPosition(processor);
        if (lowest.isEmpty()) {
            return Double.NaN;
        }
        return Math.max(0, headPosition(eventStore) - lowest.getAsLong());
    }

    /**
     * The store's head position, read at most once per {@link #HEAD_READ_MILLIS} ms: a scrape asks it for both gauges of
     * every processor (about 20 queries a scrape before, each holding a pool connection: under a slow PostgreSQL the
     * scrapes competed with the click writer for connections), so one read serves a whole scrape.
     */
    long headPosition(StreamableMessageSource<?> eventStore) {
        Head last = head;
        long now = System.nanoTime();
        if (last != null && now - last.readAtNanos() < HEAD_READ_MILLIS * 1_000_000) {
            return last.position();
        }
        TrackingToken token = eventStore.createHeadToken();
        long position = token == null ? -1 : token.position().orElse(-1);
        head = new Head(position, now);
        return position;
    }

    static final long HEAD_READ_MILLIS = 500;

    private record Head(long position, long readAtNanos) {
    }

    private volatile Head head;

    private double secondsBehind(String name, StreamingEventProcessor processor, StreamableMessageSource<?> eventStore) {
        OptionalLong lowest = lowestPosition(processor);
        if (lowest.isEmpty()) {
            return Double.NaN;
        }
        return secondsBehind(name, lowest.getAsLong(), headPosition(eventStore));
    }

    /** The lag in seconds of processor {@code name} whose lowest segment is at {@code lowest}, the store's head at {@code head}. */
    double secondsBehind(String name, long lowest, long head) {
        double events = Math.max(0, head - lowest);
        EventTimes times = eventTimes;
        if (times != null) {
            if (events == 0) {
                return 0;
            }
            try {
                return ageOfFirstAfter(name, lowest, times);
            } catch (RuntimeException e) {
                // The store is down, or this is not the table of the events: the estimate from the events handled, this time.
                if (!eventTimesFailed) {
                    eventTimesFailed = true;
                    org.slf4j.LoggerFactory.getLogger(ProcessorLagMeters.class).warn(
                            "Processor lag: the event table cannot be read ({}); lag in seconds is estimated from the events handled "
                                    + "while it cannot (logged once)", e.toString());
                }
            }
        }
        return estimatedSecondsBehind(name, events);
    }

    /**
     * The age of the first event after {@code position}. Event timestamps come from Axon's clock
     * ({@code GenericEventMessage.clock}), so the age is taken on it too (the platform's clock may be stepped in tests).
     */
    private double ageOfFirstAfter(String name, long position, EventTimes times) {
        Oldest known = oldest.get(name);
        if (known == null || known.position() != position) {
            OptionalLong millis = times.firstAfter(position);
            if (millis.isEmpty()) {
                // The head moved past an index whose event is not committed yet (a gap): nothing readable is waiting.
                return 0;
            }
            known = new Oldest(position, millis.getAsLong());
            oldest.put(name, known);
        }
        return Math.max(0, eventClock.get().millis() - known.millis()) / 1000.0;
    }

    private double estimatedSecondsBehind(String name, double events) {
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
