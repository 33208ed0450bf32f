package io.affnet.platform.config;

import io.affnet.projections.ForwardingSource;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Lets a pooled streaming processor hear new events at once. The streams of Axon's embedded (JDBC)
 * event store have no availability callback, so an idle {@code PooledStreamingEventProcessor} looks
 * for events again only every 500 ms: up to half a second more before a report shows a click. The
 * source this returns keeps one extra stream open at the head of the store (the doorbell, on a daemon
 * thread; it reads the events the store has in memory anyway and never deserializes them) and, each
 * time events arrive, runs the availability callbacks of the processors' streams, which wakes their
 * coordinators. Events of other nodes ring when the store's producer fetches them, as before.
 * <p>
 * Each processor's stream also leaves out the events of payload types the processor cannot handle,
 * once the processor has said so ({@link TypeSkippingStream}; {@code affnet.events.skip-unhandled-types}).
 */
public class EventDoorbell implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventDoorbell.class);

    private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
    private volatile StreamableMessageSource<TrackedEventMessage<?>> source;
    private volatile Thread ringer;
    private volatile boolean closed;
    private final boolean skipUnhandledTypes;

    public EventDoorbell() {
        this(true);
    }

    /** {@code skipUnhandledTypes}: processors' streams leave out the payload types they cannot handle. */
    public EventDoorbell(boolean skipUnhandledTypes) {
        this.skipUnhandledTypes = skipUnhandledTypes;
    }

    /** {@code events} whose streams support {@link BlockingStream#setOnAvailableCallback}. */
    public StreamableMessageSource<TrackedEventMessage<?>> ringing(StreamableMessageSource<TrackedEventMessage<?>> events) {
        return ringing(events, event -> false);
    }

    /**
     * As {@link #ringing(StreamableMessageSource)}, and (with skip-unhandled-types on) the streams also
     * leave out the events {@code ignored} names: events of a type the processor handles that it would
     * only drop ({@link TypeSkippingStream}). The predicate runs on the coordinator thread for each event
     * of a handled type, so it must be cheap and must not deserialize payloads.
     */
    public StreamableMessageSource<TrackedEventMessage<?>> ringing(StreamableMessageSource<TrackedEventMessage<?>> events,
                                                                  Predicate<? super TrackedEventMessage<?>> ignored) {
        return new ForwardingSource(events) {
            @Override
            public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
                BlockingStream<TrackedEventMessage<?>> stream = events.openStream(token);
                if (skipUnhandledTypes) {
                    stream = new TypeSkippingStream(stream, ignored);
                }
                start(events);
                return new Stream(stream);
            }
        };
    }

    private synchronized void start(StreamableMessageSource<TrackedEventMessage<?>> events) {
        if (ringer != null || closed) {
            return;
        }
        source = events;
        ringer = new Thread(this::ring, "event-doorbell");
        ringer.setDaemon(true);
        ringer.start();
    }

    private void ring() {
        BlockingStream<TrackedEventMessage<?>> bell = null;
        while (!closed) {
            try {
                if (bell == null) {
                    bell = source.openStream(source.createHeadToken());
                }
                if (bell.hasNextAvailable(1, TimeUnit.SECONDS)) {
                    callbacks.forEach(Runnable::run);
                    while (bell.hasNextAvailable()) {
                        bell.nextAvailable();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // The store is unreachable: meanwhile the processors are woken every second to look themselves.
                log.warn("Event doorbell: {}; trying again in 1 s", e.toString());
                if (bell != null) {
                    bell.close();
                    bell = null;
                }
                callbacks.forEach(Runnable::run);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (bell != null) {
            bell.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = ringer;
        if (t != null) {
            t.interrupt();
        }
    }

    /** A processor's stream: Axon's, plus the callback the doorbell runs. */
    private final class Stream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback;

        Stream(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable onAvailable) {
            Runnable previous = callback;
            if (previous != null) {
                callbacks.remove(previous);
            }
            callback = onAvailable;
            callbacks.add(onAvailable);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable() {
            return delegate.hasNextAvailable();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            Runnable previous = callback;
            if (previous != null) {
                callbacks.remove(previous);
            }
            delegate.close();
        }
    }
}
