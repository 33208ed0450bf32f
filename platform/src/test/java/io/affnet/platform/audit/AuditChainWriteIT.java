package io.affnet.platform.audit;

import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditChainStore#write}: the links (with their click facts) and the moved heads of two tenants, for a few
 * links and for more than a click batch has, on the real database. Each case runs in a transaction that is rolled
 * back, so the chain the other tests verify is untouched. (Written for session 11's one-statement write, which was
 * reverted: docs/operations.md, Soak.)
 */
class AuditChainWriteIT extends PlatformIT {

    private static byte[] hash(int i) {
        byte[] h = new byte[32];
        h[0] = (byte) i;
        h[1] = (byte) (i >> 8);
        return h;
    }

    private void check(int count) throws Exception {
        String tenantA = "chainwrite-" + UUID.randomUUID();
        String tenantB = "chainwrite-" + UUID.randomUUID();
        try (Connection c = jdbc.getDataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                AuditChainStore.lockHeads(c, List.of(tenantA, tenantB).stream().sorted().toList());
                // Positions far above any real one; rolled back below.
                long base = Long.MAX_VALUE / 2 + (System.nanoTime() & 0xFFFFFF) * 10_000;
                List<AuditChainStore.Link> links = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    links.add(new AuditChainStore.Link(base + i, i % 2 == 0 ? tenantA : tenantB, i / 2 + 1, hash(i)));
                }
                Instant at = Instant.parse("2026-12-07T10:00:00.123456Z");
                Map<Long, AuditChainStore.ClickFacts> facts = Map.of(base + count - 1,
                        new AuditChainStore.ClickFacts("off-1", "aff-1", at, at.plusMillis(5)));
                AuditChainStore.Link lastA = links.get(count % 2 == 0 ? count - 2 : count - 1);
                AuditChainStore.Link lastB = links.get(count % 2 == 0 ? count - 1 : count - 2);
                AuditChainStore.write(c, links, facts, List.of(
                        new AuditChainStore.Head(tenantA, lastA.seq(), lastA.hash(), lastA.globalIndex(), false),
                        new AuditChainStore.Head(tenantB, lastB.seq(), lastB.hash(), lastB.globalIndex(), true)));

                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*), min(global_index), max(global_index), count(click_at) FROM audit_chain
                        WHERE tenant_id IN (?, ?)""")) {
                    ps.setString(1, tenantA);
                    ps.setString(2, tenantB);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(count);
                        assertThat(rs.getLong(2)).isEqualTo(base);
                        assertThat(rs.getLong(3)).isEqualTo(base + count - 1);
                        assertThat(rs.getLong(4)).as("the click facts of the one link that has them").isEqualTo(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT click_offer, click_affiliate, click_at, event_at, hash FROM audit_chain WHERE global_index = ?""")) {
                    ps.setLong(1, base + count - 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("off-1");
                        assertThat(rs.getString(2)).isEqualTo("aff-1");
                        assertThat(rs.getObject(3, java.time.OffsetDateTime.class).toInstant()).isEqualTo(at);
                        assertThat(rs.getObject(4, java.time.OffsetDateTime.class).toInstant()).isEqualTo(at.plusMillis(5));
                        assertThat(rs.getBytes(5)).isEqualTo(hash(count - 1));
                    }
                }
                Map<String, AuditChainStore.Head> heads = new java.util.HashMap<>();
                for (AuditChainStore.Head h : AuditChainStore.heads(c, null)) {
                    heads.put(h.tenantId(), h);
                }
                assertThat(heads.get(tenantA).seq()).isEqualTo(lastA.seq());
                assertThat(heads.get(tenantA).globalIndex()).isEqualTo(lastA.globalIndex());
                assertThat(heads.get(tenantA).hash()).isEqualTo(lastA.hash());
                assertThat(heads.get(tenantA).checkpoint()).isFalse();
                assertThat(heads.get(tenantB).seq()).isEqualTo(lastB.seq());
                assertThat(heads.get(tenantB).hash()).isEqualTo(lastB.hash());
                assertThat(heads.get(tenantB).checkpoint()).isTrue();
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aFewLinksAndTheirHeads() throws Exception {
        check(5);
    }

    @Test
    void manyLinksAreAllWrittenWithTheHeads() throws Exception {
        check(4_321);
    }
}
