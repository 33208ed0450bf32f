package io.affnet.projections;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;

/**
 * A source that wraps another's streams ({@link #openStream}, the subclass's part) and takes its tokens from it
 * unchanged; {@link #delegate()} is the source it reads. The event doorbell, the lingering stream and the report
 * processor's position tagging are such wrappers.
 */
public abstract class ForwardingSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final StreamableMessageSource<TrackedEventMessage<?>> source;

    protected ForwardingSource(StreamableMessageSource<TrackedEventMessage<?>> source) {
        this.source = source;
    }

    public StreamableMessageSource<TrackedEventMessage<?>> delegate() {
        return source;
    }

    @Override
    public TrackingToken createTailToken() {
        return source.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return source.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return source.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return source.createTokenSince(duration);
    }
}
