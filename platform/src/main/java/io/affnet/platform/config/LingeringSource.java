package io.affnet.platform.config;

import io.affnet.projections.ForwardingSource;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets a pooled streaming processor's coordinator take events in batches of a useful size when it is at the
 * head of the store (issue 19). At the head, the doorbell ({@link EventDoorbell}) wakes the coordinator on every
 * commit, and the coordinator hands the work packages whatever has arrived: at 2,000 clicks/s that was ~48
 * events per batch for {@code report-views}, one Elasticsearch bulk request and one rollup round trip each, and
 * Elasticsearch's fixed cost per bulk request then outweighed the documents (measured with this machine's
 * Elasticsearch: ~100–170 µs of its CPU per click document in bulks of 50, ~57 in bulks of 200, ~50 in bulks of
 * 500; docs/bench-clicks.md, Session 12).
 * <p>
 * A stream of the source this returns holds events back while it is at the head: it answers
 * {@link BlockingStream#hasNextAvailable()} with {@code false} until it has {@code minBatch} events in hand or
 * the first of them has waited {@code linger}, and then lets everything available through until the stream is
 * empty again. It runs the coordinator's availability callback when the linger ends, so nothing waits longer
 * than {@code linger} for a commit that comes after it. Behind the head (a rebuild, a catch-up) the events are
 * there at once, {@code minBatch} is reached immediately, and nothing waits. Order, tokens and events are those
 * of the stream it wraps: it only delays when they are offered.
 */
public final class LingeringSource {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-linger");
        t.setDaemon(true);
        return t;
    });

    private LingeringSource() {
    }

    /**
     * {@code source}, its streams lingering as described; {@code source} itself when {@code linger} is zero or
     * {@code minBatch} is 1 or less.
     */
    public static StreamableMessageSource<TrackedEventMessage<?>> of(StreamableMessageSource<TrackedEventMessage<?>> source,
                                                                     Duration linger, int minBatch) {
        if (linger.isZero() || linger.isNegative() || minBatch <= 1) {
            return source;
        }
        return new Lingering(source, linger.toNanos(), minBatch);
    }

    /** A source whose streams linger; {@link #delegate()} is the source it reads. */
    public static final class Lingering extends ForwardingSource {

        private final long lingerNanos;
        private final int minBatch;

        private Lingering(StreamableMessageSource<TrackedEventMessage<?>> source, long lingerNanos, int minBatch) {
            super(source);
            this.lingerNanos = lingerNanos;
            this.minBatch = minBatch;
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
            return new Stream(delegate().openStream(token), lingerNanos, minBatch, System::nanoTime);
        }
    }

    /** One lingering stream. Called by one coordinator thread at a time (the timer only runs the callback). */
    static final class Stream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final long lingerNanos;
        private final int minBatch;
        private final LongSupplier clock;
        private final ArrayDeque<TrackedEventMessage<?>> held = new ArrayDeque<>();
        /** When the first held event was taken from the delegate (valid while {@code held} is not empty). */
        private long heldSince;
        /** Letting events through until the stream is empty again. */
        private boolean releasing;
        private volatile Runnable callback;
        private ScheduledFuture<?> wake;

        Stream(BlockingStream<TrackedEventMessage<?>> delegate, long lingerNanos, int minBatch, LongSupplier clock) {
            this.delegate = delegate;
            this.lingerNanos = lingerNanos;
            this.minBatch = minBatch;
            this.clock = clock;
        }

        @Override
        public synchronized boolean hasNextAvailable() {
            if (releasing) {
                if (!held.isEmpty() || delegate.hasNextAvailable()) {
                    return true;
                }
                releasing = false;
                return false;
            }
            while (held.size() < minBatch && delegate.hasNextAvailable()) {
                if (held.isEmpty()) {
                    heldSince = clock.getAsLong();
                }
                held.add(nextFromDelegate());
            }
            if (held.isEmpty()) {
                return false;
            }
            if (held.size() >= minBatch || clock.getAsLong() - heldSince >= lingerNanos) {
                release();
                return true;
            }
            armWake();
            return false;
        }

        private TrackedEventMessage<?> nextFromDelegate() {
            try {
                return delegate.nextAvailable();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading an available event", e);
            }
        }

        private void release() {
            releasing = true;
            if (wake != null) {
                wake.cancel(false);
                wake = null;
            }
        }

        /** The coordinator is told to look again when the first held event has waited its linger. */
        private void armWake() {
            if (wake != null && !wake.isDone()) {
                return;
            }
            long delay = Math.max(0, heldSince + lingerNanos - clock.getAsLong());
            wake = TIMER.schedule(() -> {
                Runnable c = callback;
                if (c != null) {
                    c.run();
                }
            }, delay, TimeUnit.NANOSECONDS);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                if (hasNextAvailable()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (holding()) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
                } else if (!delegate.hasNextAvailable((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)),
                        TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
        }

        private synchronized boolean holding() {
            return !held.isEmpty();
        }

        @Override
        public synchronized Optional<TrackedEventMessage<?>> peek() {
            if (!held.isEmpty()) {
                return Optional.of(held.peek());
            }
            return delegate.peek();
        }

        @Override
        public synchronized TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            if (!held.isEmpty()) {
                return held.poll();
            }
            return delegate.nextAvailable();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable onAvailable) {
            callback = onAvailable;
            return delegate.setOnAvailableCallback(onAvailable);
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public synchronized void close() {
            if (wake != null) {
                wake.cancel(false);
                wake = null;
            }
            held.clear();
            delegate.close();
        }
    }
}
