package io.affnet.platform.audit;

import io.affnet.api.audit.AuditCheckpointSignedEvent;
import io.affnet.api.click.ClickRecordedEvent;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Axon's JDBC storage engine with the audit hash chain written in the appending transaction: before the
 * insert, the heads of the batch's tenants are locked (row locks, tenant order); after it, every event gets
 * its link ({@link ChainHash}) in {@code audit_chain} and the heads move. A click batch of many tenants locks
 * each of their heads once; there is no global lock, so appends of different tenants still commit in
 * parallel and group commit is untouched. Because a tenant's head is locked before its rows get their
 * global index, a tenant's links follow the global order.
 * <p>
 * It also lends the audit code two reads of the engine itself: stored events as they are (what the chain
 * hashes) and the same events upcast and deserialised through the engine's upcaster chain.
 */
public class ChainedEventStorageEngine extends JdbcEventStorageEngine {

    private static final String CHECKPOINT_TYPE = AuditCheckpointSignedEvent.class.getName();

    private final ConnectionProvider connections;
    private final TransactionManager transactions;
    private final Serializer eventSerializer;
    /** Where the chain's time goes: locking heads, Axon's insert, reading positions, hashing, writing links. */
    private final java.util.concurrent.atomic.LongAdder[] nanos = {new java.util.concurrent.atomic.LongAdder(),
            new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder(),
            new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder()};
    private final java.util.concurrent.atomic.LongAdder chained = new java.util.concurrent.atomic.LongAdder();
    /**
     * The timestamps Axon's insert writes on this thread, in the order of the events (one {@link #writeTimestamp}
     * per event, in list order), kept while {@link #appendEvents} runs so that the chain hashes the very strings
     * stored instead of formatting every event's time a second time. Null outside an append.
     */
    private static final ThreadLocal<List<String>> WRITTEN = new ThreadLocal<>();

    public ChainedEventStorageEngine(JdbcEventStorageEngine.Builder builder, ConnectionProvider connections,
                                     TransactionManager transactions, Serializer eventSerializer) {
        super(builder);
        this.connections = connections;
        this.transactions = transactions;
        this.eventSerializer = eventSerializer;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        transactions.executeInTransaction(() -> {
            List<String> tenants = new ArrayList<>(events.size());
            for (EventMessage<?> e : events) {
                tenants.add(EventTenants.of(e.getMetaData(), e.getPayload()));
            }
            Connection c = connection();
            try {
                long t0 = System.nanoTime();
                Map<String, AuditChainStore.Head> heads = AuditChainStore.lockHeads(c, new ArrayList<>(new TreeSet<>(tenants)));
                long t1 = System.nanoTime();
                List<String> written = new ArrayList<>(events.size());
                WRITTEN.set(written);
                try {
                    super.appendEvents(events, serializer);
                } finally {
                    WRITTEN.remove();
                }
                // Axon's statement builder wrote one timestamp per event, in order; any other count (another
                // builder) and the times are formatted again below, as Axon formats them.
                boolean timesWritten = written.size() == events.size();
                long t2 = System.nanoTime();
                Map<String, Long> positions = AuditChainStore.positions(c,
                        events.stream().map(EventMessage::getIdentifier).collect(Collectors.toList()));
                long t3 = System.nanoTime();
                // Each event's position once, then the events in position order (a tenant's links follow it).
                int n = events.size();
                long[] byIndex = new long[n];
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    byIndex[i] = position(positions, events.get(i));
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (x, y) -> Long.compare(byIndex[x], byIndex[y]));
                List<AuditChainStore.Link> links = new ArrayList<>(n);
                Map<Long, AuditChainStore.ClickFacts> facts = new HashMap<>();
                Map<String, AuditChainStore.Head> moved = new HashMap<>();
                for (int i : order) {
                    EventMessage<?> event = events.get(i);
                    long position = byIndex[i];
                    String tenant = tenants.get(i);
                    AuditChainStore.Head head = heads.get(tenant);
                    StoredEvent stored = stored(event, serializer, position, timesWritten ? written.get(i) : null);
                    byte[] hash = ChainHash.next(head.hash(), stored);
                    head = new AuditChainStore.Head(tenant, head.seq() + 1, hash, position, CHECKPOINT_TYPE.equals(stored.payloadType()));
                    heads.put(tenant, head);
                    moved.put(tenant, head);
                    links.add(new AuditChainStore.Link(position, tenant, head.seq(), hash));
                    AuditChainStore.ClickFacts f = clickFacts(event, tenant);
                    if (f != null) {
                        facts.put(position, f);
                    }
                }
                long t4 = System.nanoTime();
                AuditChainStore.write(c, links, facts, moved.values());
                long t5 = System.nanoTime();
                nanos[0].add(t1 - t0);
                nanos[1].add(t2 - t1);
                nanos[2].add(t3 - t2);
                nanos[3].add(t4 - t3);
                nanos[4].add(t5 - t4);
                chained.add(events.size());
            } catch (SQLException e) {
                handlePersistenceException(e, events.get(0));
                throw new EventStoreException("could not chain " + events.size() + " events", e);
            } finally {
                close(c);
            }
        });
    }

    /**
     * The replay's facts of a click being appended (V120), from the click in memory (nothing is parsed): only for a
     * click of the tenant whose chain it joins, with its time as the store keeps it. Null for anything else.
     */
    static AuditChainStore.ClickFacts clickFacts(EventMessage<?> event, String tenant) {
        if (event.getPayload() instanceof ClickRecordedEvent click && click.tenantId() != null
                && click.tenantId().value().equals(tenant) && click.clickedAt() != null) {
            return new AuditChainStore.ClickFacts(click.offerId(), click.affiliateId(),
                    click.clickedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), storedTime(event.getTimestamp()));
        }
        return null;
    }

    /**
     * An event's time as the store keeps it: Axon writes {@link DateTimeUtils#formatInstant} (milliseconds, the
     * finer part cut off) and reads that back, which is the instant truncated to milliseconds. Computed here
     * instead of formatting and parsing a string per click ({@code ChainedEventStorageEngineTest} holds the two
     * equal).
     */
    static java.time.Instant storedTime(java.time.Instant timestamp) {
        return timestamp.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static long position(Map<String, Long> positions, EventMessage<?> event) {
        Long p = positions.get(event.getIdentifier());
        if (p == null) {
            throw new EventStoreException("event " + event.getIdentifier() + " was appended but has no global index");
        }
        return p;
    }

    /**
     * Axon's timestamp writer (one call per appended event): the same string Axon writes
     * ({@link DateTimeUtils#formatInstant}), noted for the chain when an append of this engine is under way.
     */
    @Override
    protected void writeTimestamp(java.sql.PreparedStatement statement, int position, java.time.Instant timestamp) throws SQLException {
        String formatted = DateTimeUtils.formatInstant(timestamp);
        statement.setString(position, formatted);
        List<String> written = WRITTEN.get();
        if (written != null) {
            written.add(formatted);
        }
    }

    /**
     * The event as the engine just stored it (Axon caches the serialised forms on the message), with the
     * timestamp string the insert wrote, or null to format it as Axon does.
     */
    private static StoredEvent stored(EventMessage<?> event, Serializer serializer, long position, String writtenTimestamp) {
        DomainEventMessage<?> d = EventUtils.asDomainEventMessage(event);
        SerializedObject<byte[]> payload = d.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> meta = d.serializeMetaData(serializer, byte[].class);
        return new StoredEvent(position, d.getIdentifier(), d.getType(), d.getAggregateIdentifier(), d.getSequenceNumber(),
                writtenTimestamp != null ? writtenTimestamp : DateTimeUtils.formatInstant(d.getTimestamp()),
                payload.getType().getName(), payload.getType().getRevision(), payload.getData(), meta.getData());
    }

    /** Stored events after a global position (at most {@code batchSize} positions further), as stored. */
    public List<StoredEvent> storedAfter(long globalIndex, int batchSize) {
        List<? extends TrackedEventData<?>> data = fetchTrackedEvents(token(globalIndex), batchSize);
        List<StoredEvent> events = new ArrayList<>(data.size());
        for (TrackedEventData<?> d : data) {
            events.add(stored(d));
        }
        return events;
    }

    /** Stored and deserialised events after a global position, through the engine's upcaster chain. */
    public List<Read> readAfter(long globalIndex, int batchSize) {
        List<? extends TrackedEventData<?>> data = fetchTrackedEvents(token(globalIndex), batchSize);
        if (data.isEmpty()) {
            return Collections.emptyList();
        }
        Map<Long, StoredEvent> stored = new HashMap<>(data.size() * 2);
        for (TrackedEventData<?> d : data) {
            StoredEvent s = stored(d);
            stored.put(s.globalIndex(), s);
        }
        List<Read> read = new ArrayList<>(data.size());
        EventUtils.upcastAndDeserializeTrackedEvents(data.stream(), eventSerializer, upcasterChain)
                .forEach(m -> read.add(new Read(stored.get(index(m.trackingToken())), m)));
        return read;
    }

    /** Microseconds per chained event spent locking heads, in Axon's insert, reading positions, hashing and writing links. */
    public String costPerEvent() {
        long n = Math.max(1, chained.sum());
        return String.format(java.util.Locale.ROOT, "lock=%.1f insert=%.1f positions=%.1f hash=%.1f write=%.1f (µs/event over %d events)",
                nanos[0].sum() / 1000.0 / n, nanos[1].sum() / 1000.0 / n, nanos[2].sum() / 1000.0 / n, nanos[3].sum() / 1000.0 / n,
                nanos[4].sum() / 1000.0 / n, chained.sum());
    }

    /** The global position of the newest event (0 when there is none). */
    public long headIndex() {
        TrackingToken head = createHeadToken();
        return head == null ? 0 : index(head);
    }

    /** An event as stored, and as the application sees it after upcasting. */
    public record Read(StoredEvent stored, TrackedEventMessage<?> message) {
    }

    @SuppressWarnings("unchecked")
    private static StoredEvent stored(TrackedEventData<?> d) {
        SerializedObject<?> payload = d.getPayload();
        SerializedObject<?> meta = d.getMetaData();
        String type = null;
        String aggregateId = null;
        long seq = 0;
        if (d instanceof org.axonframework.eventhandling.DomainEventData<?> de) {
            type = de.getType();
            aggregateId = de.getAggregateIdentifier();
            seq = de.getSequenceNumber();
        }
        return new StoredEvent(index(d.trackingToken()), d.getEventIdentifier(), type, aggregateId, seq,
                DateTimeUtils.formatInstant(d.getTimestamp()), payload.getType().getName(), payload.getType().getRevision(),
                (byte[]) payload.getData(), meta == null ? null : (byte[]) meta.getData());
    }

    static long index(TrackingToken token) {
        return token.position().orElseThrow();
    }

    private static TrackingToken token(long globalIndex) {
        return GapAwareTrackingToken.newInstance(globalIndex, Collections.emptySortedSet());
    }

    private Connection connection() {
        try {
            return connections.getConnection();
        } catch (SQLException e) {
            throw new EventStoreException("no connection for the audit chain", e);
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the transaction's connection: closing it hands it back, nothing is lost
        }
    }
}
