package io.affnet.platform.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Owner of {@code audit_chain} (one link per event, keyed by global index) and {@code audit_chain_head}
 * (each tenant's newest link). Writes happen on the appending transaction's connection only
 * ({@link ChainedEventStorageEngine}); reads take any connection.
 */
public final class AuditChainStore {

    /** A tenant's newest link. */
    public record Head(String tenantId, long seq, byte[] hash, long globalIndex, boolean checkpoint) {
    }

    /** One link of a chain. */
    public record Link(long globalIndex, String tenantId, long seq, byte[] hash) {
    }

    /**
     * What the replay reads of a click, kept beside its link ({@code V120}): offer, affiliate, click time and the
     * event's time as stored (Axon's precision).
     */
    public record ClickFacts(String offerId, String affiliateId, java.time.Instant clickedAt, java.time.Instant eventAt) {
    }

    private AuditChainStore() {
    }

    /**
     * Locks the heads of these tenants (creating missing ones at their genesis), in tenant order so two
     * appends never wait on each other in a cycle. Held until the append commits: a tenant's appends are
     * serialised, other tenants' are not. One statement when every head exists (the usual case): the missing
     * ones are inserted in the same statement, and only then read and locked by a second one.
     */
    static Map<String, Head> lockHeads(Connection c, List<String> sortedTenants) throws SQLException {
        Array tenants = c.createArrayOf("varchar", sortedTenants.toArray());
        Map<String, Head> heads = new HashMap<>();
        try (PreparedStatement lock = c.prepareStatement("""
                WITH missing AS (
                  INSERT INTO audit_chain_head (tenant_id, seq, hash, global_index)
                  SELECT t, 0, ''::bytea, 0 FROM unnest(?::varchar[]) AS t
                  WHERE NOT EXISTS (SELECT 1 FROM audit_chain_head h WHERE h.tenant_id = t)
                  ORDER BY t ON CONFLICT (tenant_id) DO NOTHING)
                SELECT tenant_id, seq, hash, global_index, head_checkpoint FROM audit_chain_head
                WHERE tenant_id = ANY(?) ORDER BY tenant_id FOR UPDATE""")) {
            lock.setArray(1, tenants);
            lock.setArray(2, tenants);
            readHeads(lock, heads);
        }
        if (heads.size() < sortedTenants.size()) {
            // Heads this statement created (its query could not see them yet), or another append's that committed meanwhile.
            try (PreparedStatement lock = c.prepareStatement("""
                    SELECT tenant_id, seq, hash, global_index, head_checkpoint FROM audit_chain_head
                    WHERE tenant_id = ANY(?) ORDER BY tenant_id FOR UPDATE""")) {
                lock.setArray(1, tenants);
                readHeads(lock, heads);
            }
        }
        if (heads.size() < sortedTenants.size()) {
            throw new SQLException("audit chain heads missing after creating them: " + sortedTenants.size() + " tenants, " + heads.size() + " heads");
        }
        return heads;
    }

    private static void readHeads(PreparedStatement lock, Map<String, Head> heads) throws SQLException {
        try (ResultSet rs = lock.executeQuery()) {
            while (rs.next()) {
                Head h = head(rs);
                heads.put(h.tenantId(), h.seq() == 0 ? new Head(h.tenantId(), 0, ChainHash.genesis(h.tenantId()), 0, false) : h);
            }
        }
    }

    /** An event being appended, with its link (tenant, place, hash) and the click facts it has (or null). */
    record Appended(StoredEvent event, String tenantId, long seq, byte[] hash, ClickFacts facts) {
    }

    /** Where an append leaves a tenant's head: its newest link, by the event that has it. */
    record Moved(String tenantId, long seq, byte[] hash, String eventId, boolean checkpoint) {
    }

    /**
     * The one statement of an append, for Axon's event table as this schema names it: the events (in the order
     * given, so that their global indices follow it), their links with the click facts, and the moved heads, each
     * as one {@code INSERT … SELECT FROM unnest(…)} (or {@code UPDATE … FROM unnest(…)}), with the new global
     * indices and the links' and heads' counts returned.
     */
    static String appendStatement(org.axonframework.eventsourcing.eventstore.jdbc.EventSchema schema) {
        return "WITH u AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::varchar[], ?::bytea[], ?::bytea[], ?::varchar[], ?::bigint[], ?::bytea[], ?::varchar[], ?::varchar[],"
                + " ?::timestamptz[], ?::timestamptz[]) WITH ORDINALITY"
                + " AS u(id, agg, seq, typ, ts, ptype, prev, payload, meta, tenant, link_seq, hash, offer, affiliate, click_at, event_at, ord)),"
                + " e AS (INSERT INTO " + schema.domainEventTable() + " (" + String.join(", ", schema.eventIdentifierColumn(),
                schema.aggregateIdentifierColumn(), schema.sequenceNumberColumn(), schema.typeColumn(), schema.timestampColumn(),
                schema.payloadTypeColumn(), schema.payloadRevisionColumn(), schema.payloadColumn(), schema.metaDataColumn()) + ")"
                + " SELECT id, agg, seq, typ, ts, ptype, prev, payload, meta FROM u ORDER BY ord"
                + " RETURNING " + schema.globalIndexColumn() + " AS position, " + schema.eventIdentifierColumn() + " AS id),"
                + " l AS (INSERT INTO audit_chain (global_index, tenant_id, seq, hash, click_offer, click_affiliate, click_at, event_at)"
                + " SELECT e.position, u.tenant, u.link_seq, u.hash, u.offer, u.affiliate, u.click_at, u.event_at FROM u JOIN e ON e.id = u.id"
                + " RETURNING 1),"
                + " h AS (UPDATE audit_chain_head h SET seq = m.seq, hash = m.hash, global_index = e.position, head_checkpoint = m.checkpoint"
                + " FROM unnest(?::varchar[], ?::bigint[], ?::bytea[], ?::varchar[], ?::boolean[]) AS m(tenant, seq, hash, id, checkpoint)"
                + " JOIN e ON e.id = m.id WHERE h.tenant_id = m.tenant RETURNING 1)"
                + " SELECT e.id, e.position, (SELECT count(*) FROM l), (SELECT count(*) FROM h) FROM e";
    }

    /**
     * Appends the events with their links and moves the heads, in one statement ({@link #appendStatement}); the
     * heads must be locked. Returns the events' global indices, in the order given.
     */
    static long[] append(Connection c, String statement, List<Appended> rows, List<Moved> heads) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] aggregates = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] timestamps = new String[n];
        String[] payloadTypes = new String[n];
        String[] revisions = new String[n];
        byte[][] payloads = new byte[n][];
        byte[][] metadata = new byte[n][];
        String[] tenants = new String[n];
        Long[] seqs = new Long[n];
        byte[][] hashes = new byte[n][];
        String[] offers = new String[n];
        String[] affiliates = new String[n];
        String[] clickedAt = new String[n];
        String[] eventAt = new String[n];
        Map<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Appended a = rows.get(i);
            StoredEvent e = a.event();
            ids[i] = e.eventId();
            aggregates[i] = e.aggregateId();
            sequences[i] = e.sequence();
            types[i] = e.aggregateType();
            timestamps[i] = e.timestamp();
            payloadTypes[i] = e.payloadType();
            revisions[i] = e.payloadRevision();
            payloads[i] = e.payload();
            metadata[i] = e.metadata();
            tenants[i] = a.tenantId();
            seqs[i] = a.seq();
            hashes[i] = a.hash();
            ClickFacts f = a.facts();
            if (f != null) {
                offers[i] = f.offerId();
                affiliates[i] = f.affiliateId();
                clickedAt[i] = f.clickedAt().toString();
                eventAt[i] = f.eventAt().toString();
            }
            index.put(e.eventId(), i);
        }
        int h = heads.size();
        String[] headTenants = new String[h];
        Long[] headSeqs = new Long[h];
        byte[][] headHashes = new byte[h][];
        String[] headEvents = new String[h];
        Boolean[] checkpoints = new Boolean[h];
        for (int i = 0; i < h; i++) {
            Moved m = heads.get(i);
            headTenants[i] = m.tenantId();
            headSeqs[i] = m.seq();
            headHashes[i] = m.hash();
            headEvents[i] = m.eventId();
            checkpoints[i] = m.checkpoint();
        }
        long[] positions = new long[n];
        int found = 0;
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("varchar", ids));
            ps.setArray(p++, c.createArrayOf("varchar", aggregates));
            ps.setArray(p++, c.createArrayOf("int8", sequences));
            ps.setArray(p++, c.createArrayOf("varchar", types));
            ps.setArray(p++, c.createArrayOf("varchar", timestamps));
            ps.setArray(p++, c.createArrayOf("varchar", payloadTypes));
            ps.setArray(p++, c.createArrayOf("varchar", revisions));
            ps.setArray(p++, c.createArrayOf("bytea", payloads));
            ps.setArray(p++, c.createArrayOf("bytea", metadata));
            ps.setArray(p++, c.createArrayOf("varchar", tenants));
            ps.setArray(p++, c.createArrayOf("int8", seqs));
            ps.setArray(p++, c.createArrayOf("bytea", hashes));
            ps.setArray(p++, c.createArrayOf("varchar", offers));
            ps.setArray(p++, c.createArrayOf("varchar", affiliates));
            ps.setArray(p++, c.createArrayOf("timestamptz", clickedAt));
            ps.setArray(p++, c.createArrayOf("timestamptz", eventAt));
            ps.setArray(p++, c.createArrayOf("varchar", headTenants));
            ps.setArray(p++, c.createArrayOf("int8", headSeqs));
            ps.setArray(p++, c.createArrayOf("bytea", headHashes));
            ps.setArray(p++, c.createArrayOf("varchar", headEvents));
            ps.setArray(p, c.createArrayOf("bool", checkpoints));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer i = index.get(rs.getString(1));
                    if (i == null || rs.getLong(3) != n || rs.getLong(4) != h) {
                        throw new SQLException("audit chain append wrote " + rs.getLong(3) + " links and " + rs.getLong(4)
                                + " heads for " + n + " events of " + h + " tenants");
                    }
                    positions[i] = rs.getLong(2);
                    found++;
                }
            }
        }
        if (found != n) {
            throw new SQLException("audit chain append stored " + found + " of " + n + " events");
        }
        return positions;
    }

    public static List<Head> heads(Connection c, String tenantOrNull) throws SQLException {
        List<Head> heads = new ArrayList<>();
        String sql = "SELECT tenant_id, seq, hash, global_index, head_checkpoint FROM audit_chain_head WHERE seq > 0"
                + (tenantOrNull == null ? "" : " AND tenant_id = ?") + " ORDER BY tenant_id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (tenantOrNull != null) {
                ps.setString(1, tenantOrNull);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.add(head(rs));
                }
            }
        }
        return heads;
    }

    /** Links with a global index in (after, upTo], in order. */
    public static List<Link> links(Connection c, long after, long upTo) throws SQLException {
        List<Link> links = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT global_index, tenant_id, seq, hash FROM audit_chain WHERE global_index > ? AND global_index <= ? ORDER BY global_index")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.add(new Link(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
                }
            }
        }
        return links;
    }

    /** The click facts (V120) of the links with a global index in (after, upTo], by global index. */
    public static java.util.Map<Long, ClickFacts> facts(Connection c, long after, long upTo) throws SQLException {
        java.util.Map<Long, ClickFacts> facts = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT global_index, click_offer, click_affiliate, click_at, event_at FROM audit_chain
                WHERE global_index > ? AND global_index <= ? AND click_at IS NOT NULL""")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    facts.put(rs.getLong(1), new ClickFacts(rs.getString(2), rs.getString(3),
                            rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                            rs.getObject(5, java.time.OffsetDateTime.class).toInstant()));
                }
            }
        }
        return facts;
    }

    /** The next {@code limit} links of one tenant after a global position, in order. */
    public static List<Link> tenantLinks(Connection c, String tenantId, long after, int limit) throws SQLException {
        List<Link> links = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT global_index, tenant_id, seq, hash FROM audit_chain
                WHERE tenant_id = ? AND global_index > ? ORDER BY global_index LIMIT ?""")) {
            ps.setString(1, tenantId);
            ps.setLong(2, after);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.add(new Link(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
                }
            }
        }
        return links;
    }

    public static long maxLinkedIndex(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(global_index), 0) FROM audit_chain");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Head head(ResultSet rs) throws SQLException {
        return new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getLong(4), rs.getBoolean(5));
    }
}
