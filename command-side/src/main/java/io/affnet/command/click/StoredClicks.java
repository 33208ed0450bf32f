package io.affnet.command.click;

import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which clicks are in the event store: what the recorder asks after an append failed, because a
 * connection lost after COMMIT was sent leaves the outcome unknown (the batch may be stored). A port:
 * the store configuration answers with one query.
 */
@FunctionalInterface
public interface StoredClicks {

    /** The ids of these clicks that are stored. */
    Set<String> stored(Collection<String> clickIds);

    /** Through the event store's API, one click at a time (Axon Server). */
    static StoredClicks through(EventStore events) {
        return ids -> {
            Set<String> stored = new HashSet<>();
            for (String id : ids) {
                if (events.readEvents(id).hasNext()) {
                    stored.add(id);
                }
            }
            return stored;
        };
    }
}
