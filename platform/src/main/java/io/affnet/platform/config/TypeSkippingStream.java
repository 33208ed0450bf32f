package io.affnet.platform.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A processor's event stream that leaves out the events of payload types the processor has said it
 * cannot handle. Axon's pooled processor tells its stream so through
 * {@link BlockingStream#skipMessagesWithPayloadTypeOf} when no handler of the processor takes an
 * event's type (its {@code canHandleType}); Axon Server's streams act on it, the embedded (JDBC)
 * store's ignore it, so every processor offered every event (every click included) to each of its
 * work packages, which asked each handler whether it could take it, queued it, and moved the token
 * past it. Here such events are dropped in the stream: the type is looked up from the serialized
 * type name, the payload is never deserialized.
 * <p>
 * Tokens still reach the head of the store: a run of skipped events is covered by the token of the
 * next event handed out, and when the stream has nothing more available the last skipped event is
 * handed out after all (the processor ignores it as before and stores its position), so lag meters
 * and "caught up" checks read the same as without skipping; so is the last of every
 * {@value #MAX_SKIPPED_RUN} skipped in a row. A restarted processor reads the skipped
 * events again and skips them again; nothing it handles is ever left out.
 * <p>
 * A processor that handles a type but only a few of its events can also name those it ignores
 * ({@code ignored}, e.g. {@code distribution-stats}: clicks not on a smart link, told from their
 * metadata): they are left out the same way, tail and long runs included.
 */
final class TypeSkippingStream implements BlockingStream<TrackedEventMessage<?>> {

    /**
     * Most events one read leaves out before it hands the last of them out anyway: a processor reading a
     * long history it hardly handles (a replay over millions of clicks) gets back to its coordinator
     * regularly, which extends its token claims and stores its progress.
     */
    static final int MAX_SKIPPED_RUN = 1024;

    private final BlockingStream<TrackedEventMessage<?>> delegate;
    private final Set<Class<?>> skipped = ConcurrentHashMap.newKeySet();
    private final Predicate<? super TrackedEventMessage<?>> ignored;
    /** The next event to hand out (read from the delegate already), or null. Coordinator thread only. */
    private TrackedEventMessage<?> ready;
    /** The last event left out since the last one handed out, or null. */
    private TrackedEventMessage<?> lastSkipped;
    private long skippedCount;

    TypeSkippingStream(BlockingStream<TrackedEventMessage<?>> delegate) {
        this(delegate, event -> false);
    }

    /** {@code ignored}: events the processor ignores although it handles their type (see above). */
    TypeSkippingStream(BlockingStream<TrackedEventMessage<?>> delegate, Predicate<? super TrackedEventMessage<?>> ignored) {
        this.delegate = delegate;
        this.ignored = ignored;
    }

    /** Reads what the delegate has available without blocking; true when an event is ready. */
    private boolean fill() {
        int run = 0;
        while (ready == null && run < MAX_SKIPPED_RUN && delegate.hasNextAvailable()) {
            TrackedEventMessage<?> event = next();
            if (skipped.contains(event.getPayloadType()) || ignored.test(event)) {
                lastSkipped = event;
                skippedCount++;
                run++;
            } else {
                ready = event;
                lastSkipped = null;
            }
        }
        if (ready == null && lastSkipped != null) {
            // Nothing more to read (or a long run): let the processor move its token past the skipped run.
            ready = lastSkipped;
            lastSkipped = null;
        }
        return ready != null;
    }

    private TrackedEventMessage<?> next() {
        try {
            return delegate.nextAvailable();
        } catch (InterruptedException e) {
            // hasNextAvailable() said an event is there, so this does not wait.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading an available event", e);
        }
    }

    @Override
    public Optional<TrackedEventMessage<?>> peek() {
        fill();
        return Optional.ofNullable(ready);
    }

    @Override
    public boolean hasNextAvailable() {
        return fill();
    }

    @Override
    public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!fill()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !delegate.hasNextAvailable((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)),
                    TimeUnit.MILLISECONDS)) {
                return fill();
            }
        }
        return true;
    }

    @Override
    public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
        while (!fill()) {
            delegate.hasNextAvailable(1, TimeUnit.SECONDS);
        }
        TrackedEventMessage<?> event = ready;
        ready = null;
        return event;
    }

    @Override
    public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
        skipped.add(ignoredMessage.getPayloadType());
        delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
    }

    @Override
    public boolean setOnAvailableCallback(Runnable callback) {
        return delegate.setOnAvailableCallback(callback);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Events left out so far (for tests and diagnostics). */
    long skippedCount() {
        return skippedCount;
    }
}
