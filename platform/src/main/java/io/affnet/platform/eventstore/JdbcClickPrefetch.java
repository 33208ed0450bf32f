package io.affnet.platform.eventstore;

import io.affnet.command.postback.ClickPrefetch;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JDBC event store's batch read for {@link ClickPrefetch}: the events of all clicks of a conversion
 * batch with one query ({@link JdbcEventBatches}). Clicks already in the aggregate cache are not read.
 */
public class JdbcClickPrefetch implements ClickPrefetch {

    private static final ThreadLocal<Map<String, List<DomainEventData<?>>>> PREFETCHED = new ThreadLocal<>();

    private final JdbcEventBatches batches;
    private final Cache cache;

    public JdbcClickPrefetch(JdbcEventBatches batches, Cache cache) {
        this.batches = batches;
        this.cache = cache;
    }

    @Override
    public void load(Collection<String> clickIds) {
        List<String> wanted = new ArrayList<>(clickIds.size());
        for (String id : clickIds) {
            if (id != null && (cache == null || !cache.containsKey(id)) && !wanted.contains(id)) {
                wanted.add(id);
            }
        }
        PREFETCHED.set(batches.read(wanted, false));
    }

    @Override
    public DomainEventStream take(String clickId) {
        Map<String, List<DomainEventData<?>>> prefetched = PREFETCHED.get();
        List<DomainEventData<?>> events = prefetched == null ? null : prefetched.remove(clickId);
        return events == null ? null : batches.stream(events);
    }

    @Override
    public void clear() {
        PREFETCHED.remove();
    }
}
