package io.affnet.platform.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
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
     * serialised, other tenants' are not.
     */
    static Map<String, Head> lockHeads(Connection c, List<String> sortedTenants) throws SQLException {
        Array tenants = c.createArrayOf("varchar", sortedTenants.toArray());
        try (PreparedStatement missing = c.prepareStatement("""
                INSERT INTO audit_chain_head (tenant_id, seq, hash, global_index)
                SELECT t, 0, ''::bytea, 0 FROM unnest(?::varchar[]) AS t
                WHERE NOT EXISTS (SELECT 1 FROM audit_chain_head h WHERE h.tenant_id = t)
                ORDER BY t ON CONFLICT (tenant_id) DO NOTHING""")) {
            missing.setArray(1, tenants);
            missing.executeUpdate();
        }
        Map<String, Head> heads = new HashMap<>();
        try (PreparedStatement lock = c.prepareStatement("""
                SELECT tenant_id, seq, hash, global_index, head_checkpoint FROM audit_chain_head
                WHERE tenant_id = ANY(?) ORDER BY tenant_id FOR UPDATE""")) {
            lock.setArray(1, tenants);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    Head h = head(rs);
                    heads.put(h.tenantId(), h.seq() == 0 ? new Head(h.tenantId(), 0, ChainHash.genesis(h.tenantId()), 0, false) : h);
                }
            }
        }
        return heads;
    }

    /** Global positions of freshly appended events, by event identifier. */
    static Map<String, Long> positions(Connection c, Collection<String> eventIds) throws SQLException {
        Map<String, Long> positions = new HashMap<>(eventIds.size() * 2);
        // Axon's own table, read inside the store configuration only: the rows this transaction wrote.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT eventidentifier, globalindex FROM domainevententry WHERE eventidentifier = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return positions;
    }

    static void write(Connection c, List<Link> links, Collection<Head> heads) throws SQLException {
        write(c, links, java.util.Map.of(), heads);
    }

    /** The links (with the click facts of those positions that have them) and the moved heads. */
    static void write(Connection c, List<Link> links, java.util.Map<Long, ClickFacts> facts, Collection<Head> heads) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO audit_chain (global_index, tenant_id, seq, hash, click_offer, click_affiliate, click_at, event_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (Link l : links) {
                ps.setLong(1, l.globalIndex());
                ps.setString(2, l.tenantId());
                ps.setLong(3, l.seq());
                ps.setBytes(4, l.hash());
                ClickFacts f = facts.get(l.globalIndex());
                ps.setString(5, f == null ? null : f.offerId());
                ps.setString(6, f == null ? null : f.affiliateId());
                ps.setObject(7, f == null ? null : java.time.OffsetDateTime.ofInstant(f.clickedAt(), java.time.ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(8, f == null ? null : java.time.OffsetDateTime.ofInstant(f.eventAt(), java.time.ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_chain_head SET seq = ?, hash = ?, global_index = ?, head_checkpoint = ? WHERE tenant_id = ?")) {
            for (Head h : heads) {
                ps.setLong(1, h.seq());
                ps.setBytes(2, h.hash());
                ps.setLong(3, h.globalIndex());
                ps.setBoolean(4, h.checkpoint());
                ps.setString(5, h.tenantId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
