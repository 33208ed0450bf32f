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

/**
 * Axon's JDBC storage engine with the audit hash chain written in the appending transaction: the heads of the
 * batch's tenants are locked (row locks, tenant order), every event gets its link ({@link ChainHash}) and one
 * statement inserts the events, their links in {@code audit_chain} and the moved heads. The engine writes Axon's
 * event table itself (the columns and values Axon's own insert writes) so that this is one statement and the global
 * indices come back from it. A click batch of many tenants locks each of their heads once; there is no global lock,
 * so appends of different tenants still commit in parallel and group commit is untouched. Because a tenant's head
 * is locked before its rows get their global index, a tenant's links follow the global order.
 * <p>
 * It also lends the audit code two reads of the engine itself: stored events as they are (what the chain
 * hashes) and the same events upcast and deserialised through the engine's upcaster chain.
 */
public class ChainedEventStorageEngine extends JdbcEventStorageEngine {

    private static final String CHECKPOINT_TYPE = AuditCheckpointSignedEvent.class.getName();

    private final ConnectionProvider connections;
    private final TransactionManager transactions;
    private final Serializer eventSerializer;
    /** Where an append's time goes: preparing (no lock), locking heads, hashing links, the one write statement. */
    private final java.util.concurrent.atomic.LongAdder[] nanos = {new java.util.concurrent.atomic.LongAdder(),
            new java.util.concurrent.atomic.LongAdder(), new java.util.concurrent.atomic.LongAdder(),
            new java.util.concurrent.atomic.LongAdder()};
    /** {@link AuditChainStore#appendStatement} for this engine's schema. */
    private final String appendStatement;
    private final java.util.concurrent.atomic.LongAdder chained = new java.util.concurrent.atomic.LongAdder();

    public ChainedEventStorageEngine(JdbcEventStorageEngine.Builder builder, ConnectionProvider connections,
                                     TransactionManager transactions, Serializer eventSerializer) {
        super(builder);
        this.connections = connections;
        this.transactions = transactions;
        this.eventSerializer = eventSerializer;
        this.appendStatement = AuditChainStore.appendStatement(schema());
    }

    /**
     * Appends the events with their links. Everything that needs no lock is done first: each event's tenant, its
     * stored form (serialised once; Axon caches it on the message), the digests of its payload and metadata, its
     * click facts. Then the heads of the batch's tenants are locked, the links hashed in the events' order, and one
     * statement inserts the events (their global indices follow that order), the links and the moved heads
     * ({@link AuditChainStore#appendStatement}). The heads stay locked until the commit: two statements and
     * one SHA-256 of about 200 bytes per event, instead of the whole append.
     */
    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        transactions.executeInTransaction(() -> {
            long t0 = System.nanoTime();
            int n = events.size();
            String[] tenants = new String[n];
            StoredEvent[] stored = new StoredEvent[n];
            byte[][] payloadDigests = new byte[n][];
            byte[][] metadataDigests = new byte[n][];
            AuditChainStore.ClickFacts[] facts = new AuditChainStore.ClickFacts[n];
            TreeSet<String> sortedTenants = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                EventMessage<?> event = events.get(i);
                tenants[i] = EventTenants.of(event.getMetaData(), event.getPayload());
                sortedTenants.add(tenants[i]);
                stored[i] = stored(event, serializer);
                payloadDigests[i] = ChainHash.payloadDigest(stored[i]);
                metadataDigests[i] = ChainHash.metadataDigest(stored[i]);
                facts[i] = clickFacts(event, tenants[i]);
            }
            Connection c = connection();
            try {
                long t1 = System.nanoTime();
                Map<String, AuditChainStore.Head> heads = AuditChainStore.lockHeads(c, new ArrayList<>(sortedTenants));
                long t2 = System.nanoTime();
                // The links in the events' order, which the insert gives their global indices in.
                List<AuditChainStore.Appended> rows = new ArrayList<>(n);
                Map<String, AuditChainStore.Moved> moved = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    String tenant = tenants[i];
                    AuditChainStore.Head head = heads.get(tenant);
                    byte[] hash = ChainHash.next(head.hash(), stored[i], payloadDigests[i], metadataDigests[i]);
                    long seq = head.seq() + 1;
                    heads.put(tenant, new AuditChainStore.Head(tenant, seq, hash, 0, false));
                    moved.put(tenant, new AuditChainStore.Moved(tenant, seq, hash, stored[i].eventId(),
                            CHECKPOINT_TYPE.equals(stored[i].payloadType())));
                    rows.add(new AuditChainStore.Appended(stored[i], tenant, seq, hash, facts[i]));
                }
                long t3 = System.nanoTime();
                long[] positions = AuditChainStore.append(c, appendStatement, rows, new ArrayList<>(moved.values()));
                for (int i = 1; i < n; i++) {
                    if (positions[i] <= positions[i - 1]) {
                        // Never seen; the links would not follow the global order, so nothing of this append may commit.
                        throw new EventStoreException("appended events got global indices out of their order: "
                                + positions[i - 1] + " then " + positions[i]);
                    }
                }
                long t4 = System.nanoTime();
                nanos[0].add(t1 - t0);
                nanos[1].add(t2 - t1);
                nanos[2].add(t3 - t2);
                nanos[3].add(t4 - t3);
                chained.add(n);
            } catch (SQLException e) {
                handlePersistenceException(e, events.get(0));
                throw new EventStoreException("could not chain " + n + " events", e);
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

    /**
     * The event as this engine stores it (Axon caches the serialised forms on the message; the timestamp as Axon
     * writes it, {@link DateTimeUtils#formatInstant}). Its global index is not known yet: 0.
     */
    private static StoredEvent stored(EventMessage<?> event, Serializer serializer) {
        DomainEventMessage<?> d = EventUtils.asDomainEventMessage(event);
        SerializedObject<byte[]> payload = d.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> meta = d.serializeMetaData(serializer, byte[].class);
        return new StoredEvent(0, d.getIdentifier(), d.getType(), d.getAggregateIdentifier(), d.getSequenceNumber(),
                DateTimeUtils.formatInstant(d.getTimestamp()), payload.getType().getName(), payload.getType().getRevision(),
                payload.getData(), meta.getData());
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

    /** Microseconds per chained event spent preparing (before the lock), locking heads, hashing links and in the write statement. */
    public String costPerEvent() {
        long n = Math.max(1, chained.sum());
        return String.format(java.util.Locale.ROOT, "prepare=%.1f lock=%.1f hash=%.1f write=%.1f (µs/event over %d events)",
                nanos[0].sum() / 1000.0 / n, nanos[1].sum() / 1000.0 / n, nanos[2].sum() / 1000.0 / n, nanos[3].sum() / 1000.0 / n,
                chained.sum());
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
