package io.affnet.platform.eventstore;

import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one class that reads Axon's JDBC event table ({@code domainevententry}, Axon's default
 * {@code EventSchema}) directly: the events of many aggregates with one indexed query, which Axon's
 * {@code EventStore} API only offers one aggregate at a time. What it returns is upcast and deserialized
 * exactly as the storage engine would, so readers see the events Axon's API would give them.
 */
public class JdbcEventBatches {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final EventUpcaster upcasters;

    public JdbcEventBatches(JdbcTemplate jdbc, Serializer serializer, EventUpcaster upcasters) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.upcasters = upcasters;
    }

    /**
     * The events of the aggregates of an array, one index lookup per aggregate (a nested loop over the array): the
     * planner has no other plan for it, whatever it believes of the table. The plain {@code aggregateidentifier =
     * ANY (?)} was planned from the table's statistics, and without them (a table never analysed: this cluster runs
     * without autovacuum) or with stale ones it guessed hundreds of rows per aggregate: a parallel bitmap heap scan
     * with a worker process started for every conversion batch, and from about a hundred aggregates a parallel
     * sequential scan of the whole event table (docs/bench-postbacks.md, Session 12). The {@code ORDER BY} inside
     * the lateral subquery also keeps the planner from flattening it into a plain join (which it could hash).
     */
    private static final String AGGREGATES_EVENTS = """
            SELECT %s
            FROM unnest(?::varchar[]) WITH ORDINALITY AS a(id, n)
            CROSS JOIN LATERAL (SELECT * FROM domainevententry d WHERE d.aggregateidentifier = a.id%s
                                ORDER BY d.sequencenumber) e
            ORDER BY a.n, e.sequencenumber""";
    private static final String EVENT_COLUMNS = """
            e.eventidentifier, e.aggregateidentifier, e.sequencenumber, e.type, e."timestamp", e.payloadtype,
                   e.payloadrevision, e.payload, e.metadata""";

    /** The statement of {@link #read}, one array parameter (package-visible for its plan's test). */
    static String aggregatesEvents(boolean firstOnly) {
        return AGGREGATES_EVENTS.formatted(EVENT_COLUMNS, firstOnly ? " AND d.sequencenumber = 0" : "");
    }

    /** The statement of {@link #withFirstEvent}: as {@link #read}'s, the aggregate ids only. */
    static String aggregatesWithFirstEvent() {
        return AGGREGATES_EVENTS.formatted("e.aggregateidentifier", " AND d.sequencenumber = 0");
    }

    /**
     * The stored events of these aggregates in sequence order, keyed by aggregate id (an empty list for one
     * without events); only each one's first event when {@code firstOnly}.
     */
    public Map<String, List<DomainEventData<?>>> read(Collection<String> aggregateIds, boolean firstOnly) {
        Map<String, List<DomainEventData<?>>> byAggregate = new HashMap<>();
        for (String id : aggregateIds) {
            byAggregate.put(id, new ArrayList<>(2));
        }
        if (byAggregate.isEmpty()) {
            return byAggregate;
        }
        String sql = aggregatesEvents(firstOnly);
        jdbc.query(sql, rs -> {
            String id = rs.getString(2);
            byAggregate.get(id).add(new GenericDomainEventEntry<>(rs.getString(4), id, rs.getLong(3), rs.getString(1),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9)));
        }, (Object) byAggregate.keySet().toArray(new String[0]));
        return byAggregate;
    }

    private static final String TENANT_EVENTS = """
            SELECT e.globalindex, e.eventidentifier, e.aggregateidentifier, e.sequencenumber, e.type, e."timestamp",
                   e.payloadtype, e.payloadrevision, e.payload, e.metadata
            FROM audit_chain c JOIN domainevententry e ON e.globalindex = c.global_index
            WHERE c.tenant_id = ? AND c.global_index > ? AND e.payloadtype = ANY (?)
            ORDER BY c.global_index LIMIT ?""";
    private static final String TENANT_EVENTS_WITHOUT_FACTS = TENANT_EVENTS.replace("AND e.payloadtype", "AND c.click_at IS NULL AND e.payloadtype");
    private static final String TENANT_CLICK_FACTS = """
            SELECT global_index, click_offer, click_affiliate, click_at, event_at FROM audit_chain
            WHERE tenant_id = ? AND global_index > ? AND click_at IS NOT NULL ORDER BY global_index LIMIT ?""";

    /** A click's facts kept beside its link (V120): what the audit replay reads of it. */
    public record ClickFacts(long globalIndex, String offerId, String affiliateId, java.time.Instant clickedAt,
                             java.time.Instant eventAt) {
    }

    /**
     * Up to {@code limit} click facts of one tenant after a global position, in global order: narrow rows of
     * {@code audit_chain} alone (the click's payload is not read).
     */
    public List<ClickFacts> tenantClickFacts(String tenantId, long after, int limit) {
        List<ClickFacts> facts = new ArrayList<>(Math.min(limit, 65_536));
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(TENANT_CLICK_FACTS);
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            }
            ps.setString(1, tenantId);
            ps.setLong(2, after);
            ps.setInt(3, limit);
            return ps;
        }, (ResultSet rs) -> {
            facts.add(new ClickFacts(rs.getLong(1), rs.getString(2), rs.getString(3),
                    rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getObject(5, java.time.OffsetDateTime.class).toInstant()));
        });
        return facts;
    }

    /** A stored event with its global position. */
    public record Positioned(long globalIndex, DomainEventData<?> data) {
    }

    /**
     * Up to {@code limit} of one tenant's stored events after a global position, only of these payload
     * types, in global order: the tenant's positions come from its chain links ({@code audit_chain},
     * indexed by tenant and position), so one query reads one batch of the tenant's own rows and nothing
     * else, and events of other types are never fetched. For the audit replay; the caller upcasts and
     * deserializes ({@link #stream}, {@link #serializer}).
     */
    public List<Positioned> tenantEvents(String tenantId, long after, Collection<String> payloadTypes, int limit) {
        return tenantEvents(tenantId, after, payloadTypes, limit, false);
    }

    /** As {@link #tenantEvents(String, long, Collection, int)}; {@code withoutClickFacts}: leaving out the clicks whose links carry their facts. */
    public List<Positioned> tenantEvents(String tenantId, long after, Collection<String> payloadTypes, int limit,
                                         boolean withoutClickFacts) {
        List<Positioned> events = new ArrayList<>(Math.min(limit, 65_536));
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(withoutClickFacts ? TENANT_EVENTS_WITHOUT_FACTS : TENANT_EVENTS);
            // Binary transfer from the first execution: the payloads arrive as bytes, not as hex text the
            // server encodes and the driver decodes again (PgJDBC switches only after a few executions).
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            }
            ps.setString(1, tenantId);
            ps.setLong(2, after);
            ps.setArray(3, con.createArrayOf("varchar", payloadTypes.toArray()));
            ps.setInt(4, limit);
            return ps;
        }, (ResultSet rs) -> {
            events.add(new Positioned(rs.getLong(1), new GenericDomainEventEntry<>(rs.getString(5), rs.getString(3),
                    rs.getLong(4), rs.getString(2), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9),
                    rs.getBytes(10))));
        });
        return events;
    }

    public Serializer serializer() {
        return serializer;
    }

    /** Which of these aggregates have a first event stored (one index lookup per aggregate, as {@link #read}). */
    public java.util.Set<String> withFirstEvent(Collection<String> aggregateIds) {
        java.util.Set<String> stored = new java.util.HashSet<>();
        if (aggregateIds.isEmpty()) {
            return stored;
        }
        jdbc.query(aggregatesWithFirstEvent(),
                rs -> {
                    stored.add(rs.getString(1));
                }, (Object) aggregateIds.toArray(new String[0]));
        return stored;
    }

    /**
     * The timestamp (epoch ms) of the first event stored after global index {@code globalIndex}, empty if none
     * (one query on the primary key's index): the processor lag meter's age of the oldest event not passed.
     */
    public java.util.OptionalLong firstTimestampAfter(long globalIndex) {
        List<String> found = jdbc.queryForList(
                "SELECT \"timestamp\" FROM domainevententry WHERE globalindex > ? ORDER BY globalindex LIMIT 1", String.class, globalIndex);
        return found.isEmpty() || found.get(0) == null ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(org.axonframework.common.DateTimeUtils.parseInstant(found.get(0)).toEpochMilli());
    }

    /** Stored events as the storage engine hands them out: upcast, deserialized lazily. */
    public DomainEventStream stream(List<DomainEventData<?>> events) {
        return EventStreamUtils.upcastAndDeserializeDomainEvents(events.stream(), serializer, upcasters);
    }
}
