package io.affnet.platform.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.TenantId;
import io.affnet.platform.eventstore.JdbcEventBatches;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.serialization.Revision;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The replay's read path: a tenant's events of the replayed types, read in batches of
 * {@value #BATCH} rows by one indexed query each ({@link JdbcEventBatches#tenantEvents}: the tenant's own
 * rows through its chain links, other types never fetched), each payload decoded once. A click stored at
 * the current revision of {@link ClickRecordedEvent} (clicks are nearly all of a tenant's history) is
 * decoded by a streaming parse of the four fields the figures read ({@link StateReplay.ClickFact}: tenant,
 * offer, affiliate, click time), skipping its terms, subs and user agent without building them; every
 * other event, and a click of another revision (which an upcaster may change), goes through the
 * serializer and the upcaster chain as the storage engine would hand it out.
 * <p>
 * What it replaces read every event of the span through the storage engine (every type, gap-tracking
 * tokens), deserialized each event's metadata to check its tenant, and built each click whole: about
 * 1 700 events/s in {@code ./affnet eval audit} on the busy 2-core machine (docs/audit.md).
 */
public final class TenantReplay {

    static final int BATCH = 20_000;
    /** Click facts per query: narrow rows, so more of them at once. */
    static final int FACTS_BATCH = 50_000;
    private static final String CLICK = ClickRecordedEvent.class.getName();
    private static final String CLICK_SIMPLE_NAME = ClickRecordedEvent.class.getSimpleName();
    private static final String CLICK_REVISION = ClickRecordedEvent.class.getAnnotation(Revision.class).value();
    private static final JsonFactory JSON = new JsonFactory();

    /** Receives each event's payload (a {@link StateReplay.ClickFact} for a fast-decoded click) and its time. */
    interface Sink {
        void accept(Object payload, Instant timestamp);
    }

    /**
     * Receives, with each payload, where the event stands: its global position, its aggregate (null when it has
     * none: Axon's stand-in, the event id) and its payload type's simple name; what a diff names each cause by.
     */
    interface PositionedSink {
        void accept(long globalIndex, String aggregateId, String type, Object payload, Instant timestamp);
    }

    private final JdbcEventBatches batches;
    private final boolean useFacts;

    /** The replay's read path, reading clicks from their links' facts where they have them. */
    public TenantReplay(JdbcEventBatches batches) {
        this(batches, true);
    }

    /** @param useFacts false: every click from its payload (the path before the facts; ReplayBench compares both) */
    public TenantReplay(JdbcEventBatches batches, boolean useFacts) {
        this.batches = batches;
        this.useFacts = useFacts;
    }

    /** Feeds the tenant's events of these types with a timestamp before {@code before}; answers how many were read. */
    long read(String tenantId, Set<String> types, Instant before, Sink sink) {
        return read(tenantId, types, before, (index, aggregate, type, payload, at) -> sink.accept(payload, at), useFacts);
    }

    /**
     * As {@link #read(String, Set, Instant, Sink)}, each event with its position, aggregate and type.
     * {@code withFacts}: a click whose link carries its facts (V120) is read from them, without its payload or
     * aggregate (null); else from its payload.
     */
    long read(String tenantId, Set<String> types, Instant before, PositionedSink sink, boolean withFacts) {
        boolean facts = withFacts && types.contains(CLICK);
        Cursor<JdbcEventBatches.Positioned> rows = new Cursor<>(
                after -> batches.tenantEvents(tenantId, after, types, BATCH, facts), JdbcEventBatches.Positioned::globalIndex, BATCH);
        Cursor<JdbcEventBatches.ClickFacts> clicks = new Cursor<>(facts
                ? after -> batches.tenantClickFacts(tenantId, after, FACTS_BATCH) : after -> List.of(),
                JdbcEventBatches.ClickFacts::globalIndex, FACTS_BATCH);
        TenantId tenant = new TenantId(tenantId);
        List<JdbcEventBatches.Positioned> slow = new ArrayList<>();
        long read = 0;
        while (true) {
            JdbcEventBatches.Positioned row = rows.peek();
            JdbcEventBatches.ClickFacts fact = clicks.peek();
            if (row == null && fact == null) {
                break;
            }
            if (fact != null && (row == null || fact.globalIndex() < row.globalIndex())) {
                clicks.next();
                if (fact.eventAt().isBefore(before)) {
                    read++;
                    flush(tenantId, slow, sink);
                    sink.accept(fact.globalIndex(), null, CLICK_SIMPLE_NAME,
                            new StateReplay.ClickFact(tenant, fact.offerId(), fact.affiliateId(), fact.clickedAt()), fact.eventAt());
                }
                continue;
            }
            rows.next();
            DomainEventData<?> d = row.data();
            Instant at = d.getTimestamp();
            if (!at.isBefore(before)) {
                continue;
            }
            read++;
            StateReplay.ClickFact parsed = CLICK.equals(d.getPayload().getType().getName())
                    && CLICK_REVISION.equals(d.getPayload().getType().getRevision()) ? click((byte[]) d.getPayload().getData()) : null;
            if (parsed != null) {
                if (parsed.tenantId() != null && tenantId.equals(parsed.tenantId().value())) {
                    flush(tenantId, slow, sink);
                    sink.accept(row.globalIndex(), aggregateOf(d.getAggregateIdentifier(), d.getEventIdentifier()),
                            CLICK_SIMPLE_NAME, parsed, at);
                }
            } else {
                slow.add(row);
                if (slow.size() >= BATCH) {
                    flush(tenantId, slow, sink);
                }
            }
        }
        flush(tenantId, slow, sink);
        return read;
    }

    /** Batches of rows in global order, fetched after the last one as they are consumed. */
    private static final class Cursor<T> {
        private final java.util.function.LongFunction<List<T>> fetch;
        private final java.util.function.ToLongFunction<T> position;
        private final int limit;
        private List<T> batch = List.of();
        private int next;
        private long after;
        private boolean done;

        Cursor(java.util.function.LongFunction<List<T>> fetch, java.util.function.ToLongFunction<T> position, int limit) {
            this.fetch = fetch;
            this.position = position;
            this.limit = limit;
        }

        T peek() {
            if (next == batch.size()) {
                if (done) {
                    return null;
                }
                batch = fetch.apply(after);
                next = 0;
                done = batch.size() < limit;
                if (batch.isEmpty()) {
                    return null;
                }
                after = position.applyAsLong(batch.get(batch.size() - 1));
            }
            return batch.get(next);
        }

        void next() {
            next++;
        }
    }

    /**
     * The events that need the serializer, in order, through the upcaster chain; each tenant checked again. An
     * upcast event keeps its event id, which finds its position (an event an upcaster made up has its source's).
     */
    private void flush(String tenantId, List<JdbcEventBatches.Positioned> slow, PositionedSink sink) {
        if (slow.isEmpty()) {
            return;
        }
        java.util.Map<String, Long> positions = new java.util.HashMap<>();
        List<DomainEventData<?>> data = new ArrayList<>(slow.size());
        for (JdbcEventBatches.Positioned row : slow) {
            positions.put(row.data().getEventIdentifier(), row.globalIndex());
            data.add(row.data());
        }
        long last = slow.get(0).globalIndex();
        DomainEventStream stream = batches.stream(data);
        while (stream.hasNext()) {
            DomainEventMessage<?> m = stream.next();
            last = positions.getOrDefault(m.getIdentifier(), last);
            if (tenantId.equals(EventTenants.of(m.getMetaData(), m.getPayload()))) {
                sink.accept(last, aggregateOf(m.getAggregateIdentifier(), m.getIdentifier()), m.getPayloadType().getSimpleName(),
                        m.getPayload(), m.getTimestamp());
            }
        }
        slow.clear();
    }

    /** Axon stores an event of no aggregate with its event id as the aggregate id: that is no aggregate. */
    private static String aggregateOf(String aggregateId, String eventId) {
        return aggregateId == null || aggregateId.equals(eventId) ? null : aggregateId;
    }

    /**
     * The four fields of a stored click, or null when the JSON is not shaped as expected (the caller then
     * deserializes it whole).
     */
    static StateReplay.ClickFact click(byte[] json) {
        String tenant = null;
        String offer = null;
        String affiliate = null;
        Instant clickedAt = null;
        int found = 0;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (found < 4 && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "tenantId", "offerId", "affiliateId", "clickedAt" -> {
                        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                            return null;
                        }
                        String text = value == JsonToken.VALUE_NULL ? null : p.getText();
                        found++;
                        switch (name) {
                            case "tenantId" -> tenant = text;
                            case "offerId" -> offer = text;
                            case "affiliateId" -> affiliate = text;
                            default -> clickedAt = text == null ? null : Instant.parse(text);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return found == 4 && tenant != null && clickedAt != null
                ? new StateReplay.ClickFact(new TenantId(tenant), offer, affiliate, clickedAt) : null;
    }
}
