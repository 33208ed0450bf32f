package io.affnet.sagas.delivery;

import io.affnet.api.click.ClickRecordedEvent;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sub ids a click was made with, from its first event ({@link ClickRecordedEvent#subs()}): conversions
 * do not carry them, and a read model writing a row for every click would cost the click path. The
 * event store's own API reads one click at a time ({@link #through}); the platform's store
 * configuration supplies a batch read for its storage engine.
 */
public interface ClickSubIds {

    /** Each click's sub ids (empty for a click without them or not found). */
    Map<String, Map<String, String>> of(Set<String> clickIds);

    static Map<String, String> subsOf(Object firstEvent) {
        return firstEvent instanceof ClickRecordedEvent click && click.subs() != null ? click.subs() : Map.of();
    }

    /** Through Axon's API, one click at a time: works with any event store. */
    static ClickSubIds through(EventStore events) {
        return clickIds -> {
            Map<String, Map<String, String>> subs = new HashMap<>();
            for (String clickId : clickIds) {
                DomainEventStream stream = events.readEvents(clickId, 0);
                subs.put(clickId, stream.hasNext() ? subsOf(stream.next().getPayload()) : Map.of());
            }
            return subs;
        };
    }
}
