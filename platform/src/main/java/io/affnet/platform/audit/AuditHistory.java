package io.affnet.platform.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A tenant's events in commit order, read through the storage engine (upcasters apply) in batches. The
 * tenant's positions come from its chain links ({@code audit_chain}, indexed by tenant and global index),
 * so a tenant with a small share of a large store reads its own rows, not everyone's; each event's tenant is
 * checked again from its metadata and payload.
 */
public final class AuditHistory {

    /** What to read. {@code after}: a global position (the cursor); null fields do not filter. */
    public record Filter(String tenantId, Instant from, Instant to, Set<String> types, String aggregateType,
                         String aggregateId, String actor, long after) {
    }

    /** An event with its link. */
    public record Entry(ChainedEventStorageEngine.Read read, AuditChainStore.Link link) {
    }

    /** Whether to go on. */
    public interface Sink {
        boolean accept(Entry entry);
    }

    private static final int LINKS_PER_QUERY = 2000;
    private static final int MAX_SPAN = 2000;

    private final ChainedEventStorageEngine engine;
    private final DataSource dataSource;

    public AuditHistory(ChainedEventStorageEngine engine, DataSource dataSource) {
        this.engine = engine;
        this.dataSource = dataSource;
    }

    /**
     * Feeds matching events to the sink until it says stop or the history ends.
     *
     * @return the global position read up to (the cursor to resume after), or -1 when the history ended
     */
    public long read(Filter filter, Sink sink) {
        Predicate<Entry> matches = matcher(filter);
        long after = filter.after();
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                List<AuditChainStore.Link> links = AuditChainStore.tenantLinks(c, filter.tenantId(), after, LINKS_PER_QUERY);
                if (links.isEmpty()) {
                    return -1;
                }
                Map<Long, AuditChainStore.Link> wanted = new HashMap<>(links.size() * 2);
                links.forEach(l -> wanted.put(l.globalIndex(), l));
                int i = 0;
                while (i < links.size()) {
                    long first = links.get(i).globalIndex();
                    int j = i;
                    while (j + 1 < links.size() && links.get(j + 1).globalIndex() - first < MAX_SPAN) {
                        j++;
                    }
                    long last = links.get(j).globalIndex();
                    Map<Long, ChainedEventStorageEngine.Read> reads = new HashMap<>();
                    for (ChainedEventStorageEngine.Read r : engine.readAfter(first - 1, (int) (last - first + 1))) {
                        if (wanted.containsKey(r.stored().globalIndex())) {
                            reads.put(r.stored().globalIndex(), r);
                        }
                    }
                    for (int k = i; k <= j; k++) {
                        AuditChainStore.Link link = links.get(k);
                        ChainedEventStorageEngine.Read r = reads.get(link.globalIndex());
                        after = link.globalIndex();
                        // A link without its event is the verifier's business; the history shows what exists.
                        if (r != null && ownedBy(r, filter.tenantId())) {
                            Entry entry = new Entry(r, link);
                            if (matches.test(entry) && !sink.accept(entry)) {
                                return after;
                            }
                        }
                    }
                    i = j + 1;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit chain", e);
        }
    }

    private static boolean ownedBy(ChainedEventStorageEngine.Read r, String tenantId) {
        TrackedEventMessage<?> m = r.message();
        Object tenant = m.getMetaData().get("tenantId");
        if (tenant instanceof String s && !s.isEmpty()) {
            return s.equals(tenantId);
        }
        return tenantId.equals(EventTenants.of(m.getMetaData(), m.getPayload()));
    }

    private static Predicate<Entry> matcher(Filter f) {
        return e -> {
            StoredEvent s = e.read().stored();
            TrackedEventMessage<?> m = e.read().message();
            if (f.from() != null && m.getTimestamp().isBefore(f.from())) {
                return false;
            }
            if (f.to() != null && !m.getTimestamp().isBefore(f.to())) {
                return false;
            }
            if (f.types() != null && !f.types().isEmpty()) {
                String full = m.getPayloadType().getName();
                if (!f.types().contains(full) && !f.types().contains(m.getPayloadType().getSimpleName())) {
                    return false;
                }
            }
            String aggregateType = m instanceof DomainEventMessage<?> d ? d.getType() : null;
            if (f.aggregateType() != null && !f.aggregateType().equalsIgnoreCase(aggregateType)) {
                return false;
            }
            if (f.aggregateId() != null && !(m instanceof DomainEventMessage<?> d && f.aggregateId().equals(d.getAggregateIdentifier())
                    && aggregateType != null)) {
                return false;
            }
            if (f.actor() != null) {
                Object principal = m.getMetaData().get("principalId");
                Object key = m.getMetaData().get("keyId");
                if (!f.actor().equals(principal) && !f.actor().equals(key)) {
                    return false;
                }
            }
            return s != null;
        };
    }
}
