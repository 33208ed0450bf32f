package io.affnet.projections.report;

import io.affnet.projections.ForwardingSource;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The global index of each event a processor receives. A token's {@code position()} is the highest
 * index it has seen, which is the event's own index except when the event fills a gap (it was
 * committed after an event with a higher index, see {@link SeenPositions}): then the token keeps its
 * index and only loses the gap. Only the stream sees consecutive tokens, so the source this returns
 * compares each event's token with the one before it and, for a gap filler, adds the index the token
 * lost to the event's metadata ({@link #POSITIONS}). All other events pass through unchanged.
 * <p>
 * If the store dropped unfillable gaps (Axon's gap cleaning, only with more than 250 open gaps) in the
 * same step, the token lost those indices too; the metadata then holds all of them. None of the dropped
 * ones has an event, and {@link ReportBatch} counts the event unless every candidate was seen before.
 */
public final class EventPositions {

    /** Metadata key: the index (or candidate indices) of a gap-filling event, a {@code long[]}. */
    public static final String POSITIONS = "affnet.globalIndex";

    private EventPositions() {
    }

    /** {@code source}, its events tagged as described above. */
    public static TaggingSource tagging(StreamableMessageSource<TrackedEventMessage<?>> source) {
        return new TaggingSource(source);
    }

    /** A source whose streams tag gap-filling events; {@link #delegate()} is the source it reads. */
    public static final class TaggingSource extends ForwardingSource {

        private TaggingSource(StreamableMessageSource<TrackedEventMessage<?>> source) {
            super(source);
        }

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
            return new Tagging(delegate().openStream(token), token == null ? null : WrappedToken.unwrapLowerBound(token));
        }
    }

    /** The global index of {@code message} (delivered with {@code token}); several candidates in the rare case above. */
    static long[] of(EventMessage<?> message, TrackingToken token) {
        Object tagged = message.getMetaData().get(POSITIONS);
        if (tagged instanceof long[] positions) {
            return positions;
        }
        return new long[]{SeenPositions.of(token).index()};
    }

    /**
     * The index of the event that moved a stream from having seen {@code before} to {@code after}: null
     * when it is {@code after}'s highest index (no tag needed), the gaps {@code after} no longer has when
     * the event filled one, and empty when nothing changed (as for several events of one entry).
     */
    static long[] added(SeenPositions before, SeenPositions after) {
        if (before == null || after.index() > before.index()) {
            return null;
        }
        return Arrays.stream(before.gaps()).filter(after::contains).toArray();
    }

    private static final class Tagging implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private SeenPositions previous;
        private long[] previousPositions;

        Tagging(BlockingStream<TrackedEventMessage<?>> delegate, TrackingToken start) {
            this.delegate = delegate;
            this.previous = start == null ? null : SeenPositions.of(start);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek().map(e -> tag(e, positions(SeenPositions.of(e.trackingToken()))));
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public boolean hasNextAvailable() {
            return delegate.hasNextAvailable();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> event = delegate.nextAvailable();
            SeenPositions seen = SeenPositions.of(event.trackingToken());
            long[] positions = positions(seen);
            previous = seen;
            previousPositions = positions;
            return tag(event, positions);
        }

        private long[] positions(SeenPositions seen) {
            long[] added = added(previous, seen);
            return added != null && added.length == 0 ? previousPositions : added;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static TrackedEventMessage<?> tag(TrackedEventMessage<?> event, long[] positions) {
            if (positions == null) {
                return event;
            }
            Map<String, Object> meta = Map.of(POSITIONS, positions);
            if (event instanceof DomainEventMessage<?>) {
                // A tracked domain event keeps its token when its metadata changes.
                return (TrackedEventMessage<?>) event.andMetaData(meta);
            }
            return new GenericTrackedEventMessage(event.trackingToken(), (EventMessage) event.andMetaData(meta));
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignored) {
            delegate.skipMessagesWithPayloadTypeOf(ignored);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return delegate.setOnAvailableCallback(callback);
        }
    }
}
