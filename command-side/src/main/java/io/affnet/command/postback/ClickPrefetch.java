package io.affnet.command.postback;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the events of all clicks a batch of conversions needs with one query, instead of one query per
 * click as the repository would. The batch's writer thread prefetches, the click repository takes each
 * click's events from here once ({@link #take}), and anything not prefetched is read as usual. Clicks
 * already in the aggregate cache are not read at all.
 * <p>
 * The rows are read from Axon's {@code domainevententry} table in Axon's own layout and deserialized with
 * the event serializer, exactly as the storage engine would (there are no upcasters).
 */
public class ClickPrefetch {

    private static final ThreadLocal<Map<String, List<DomainEventData<?>>>> PREFETCHED = new ThreadLocal<>();

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final Cache cache;

    public ClickPrefetch(JdbcTemplate jdbc, Serializer serializer, Cache cache) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.cache = cache;
    }

    /** Reads the events of these clicks (but the cached ones) for this thread, until {@link #clear()}. */
    public void load(Collection<String> clickIds) {
        List<String> wanted = new ArrayList<>(clickIds.size());
        for (String id : clickIds) {
            if (id != null && (cache == null || !cache.containsKey(id)) && !wanted.contains(id)) {
                wanted.add(id);
            }
        }
        Map<String, List<DomainEventData<?>>> byClick = new HashMap<>();
        if (!wanted.isEmpty()) {
            for (String id : wanted) {
                byClick.put(id, new ArrayList<>(2));
            }
            jdbc.query("""
                    SELECT eventidentifier, aggregateidentifier, sequencenumber, type, "timestamp", payloadtype,
                           payloadrevision, payload, metadata
                    FROM domainevententry WHERE aggregateidentifier = ANY (?)
                    ORDER BY aggregateidentifier, sequencenumber""", rs -> {
                String id = rs.getString(2);
                byClick.get(id).add(new GenericDomainEventEntry<>(rs.getString(4), id, rs.getLong(3), rs.getString(1),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9)));
            }, (Object) wanted.toArray(new String[0]));
        }
        PREFETCHED.set(byClick);
    }

    /**
     * The click's prefetched events (an empty stream for a click that does not exist), once; null when
     * it was not prefetched on this thread.
     */
    public DomainEventStream take(String clickId) {
        Map<String, List<DomainEventData<?>>> prefetched = PREFETCHED.get();
        List<DomainEventData<?>> events = prefetched == null ? null : prefetched.remove(clickId);
        if (events == null) {
            return null;
        }
        return EventStreamUtils.upcastAndDeserializeDomainEvents(events.stream(), serializer, NoOpEventUpcaster.INSTANCE);
    }

    public void clear() {
        PREFETCHED.remove();
    }
}
