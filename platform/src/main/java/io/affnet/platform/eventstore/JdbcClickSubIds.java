package io.affnet.platform.eventstore;

import io.affnet.sagas.delivery.ClickSubIds;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link ClickSubIds} for the JDBC event store: every click's first event with one query. */
public class JdbcClickSubIds implements ClickSubIds {

    private final JdbcEventBatches batches;

    public JdbcClickSubIds(JdbcEventBatches batches) {
        this.batches = batches;
    }

    @Override
    public Map<String, Map<String, String>> of(Set<String> clickIds) {
        Map<String, Map<String, String>> subs = new HashMap<>();
        batches.read(clickIds, true).forEach((clickId, events) -> {
            DomainEventStream stream = batches.stream(events);
            subs.put(clickId, stream.hasNext() ? ClickSubIds.subsOf(stream.next().getPayload()) : Map.of());
        });
        return subs;
    }
}
