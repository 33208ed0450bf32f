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
 * {@link AuditChainStore#append}: one statement writes the events into Axon's table, their links (with click facts)
 * and the moved heads of two tenants, for a few events and for more than a click batch has, on the real database.
 * The global indices come back in the events' order and the links and heads carry them. Each case runs in a
 * transaction that is rolled back, so the chain the other tests verify is untouched.
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
        String aggregatePrefix = "chainwrite-agg-" + UUID.randomUUID() + "-";
        try (Connection c = jdbc.getDataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                Map<String, AuditChainStore.Head> locked = AuditChainStore.lockHeads(c, List.of(tenantA, tenantB).stream().sorted().toList());
                assertThat(locked.get(tenantA).seq()).as("a new tenant's head").isZero();
                Instant at = Instant.parse("2026-12-07T10:00:00.123456Z");
                List<AuditChainStore.Appended> rows = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    StoredEvent event = new StoredEvent(0, UUID.randomUUID().toString(), "ChainWriteTest", aggregatePrefix + i, 0,
                            at.plusMillis(i).toString(), "io.affnet.test.ChainWriteTest", null,
                            ("{\"i\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    AuditChainStore.ClickFacts facts = i == count - 1 ? new AuditChainStore.ClickFacts("off-1", "aff-1", at, at.plusMillis(5)) : null;
                    rows.add(new AuditChainStore.Appended(event, i % 2 == 0 ? tenantA : tenantB, i / 2 + 1, hash(i), facts));
                }
                AuditChainStore.Appended lastA = rows.get(count % 2 == 0 ? count - 2 : count - 1);
                AuditChainStore.Appended lastB = rows.get(count % 2 == 0 ? count - 1 : count - 2);
                long[] positions = AuditChainStore.append(c, AuditChainStore.appendStatement(
                        org.axonframework.eventsourcing.eventstore.jdbc.EventSchema.builder().build()), rows, List.of(
                        new AuditChainStore.Moved(tenantA, lastA.seq(), lastA.hash(), lastA.event().eventId(), false),
                        new AuditChainStore.Moved(tenantB, lastB.seq(), lastB.hash(), lastB.event().eventId(), true)));

                assertThat(positions).hasSize(count);
                for (int i = 1; i < count; i++) {
                    assertThat(positions[i]).as("global indices follow the events' order").isGreaterThan(positions[i - 1]);
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT count(*), min(e.globalindex), max(e.globalindex), count(l.global_index), count(l.click_at)
                        FROM domainevententry e LEFT JOIN audit_chain l ON l.global_index = e.globalindex
                        WHERE e.aggregateidentifier LIKE ?""")) {
                    ps.setString(1, aggregatePrefix + "%");
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("events stored").isEqualTo(count);
                        assertThat(rs.getLong(2)).isEqualTo(positions[0]);
                        assertThat(rs.getLong(3)).isEqualTo(positions[count - 1]);
                        assertThat(rs.getLong(4)).as("each event's link at its global index").isEqualTo(count);
                        assertThat(rs.getLong(5)).as("the click facts of the one link that has them").isEqualTo(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT click_offer, click_affiliate, click_at, event_at, hash, tenant_id, seq FROM audit_chain WHERE global_index = ?""")) {
                    ps.setLong(1, positions[count - 1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo("off-1");
                        assertThat(rs.getString(2)).isEqualTo("aff-1");
                        assertThat(rs.getObject(3, java.time.OffsetDateTime.class).toInstant()).isEqualTo(at);
                        assertThat(rs.getObject(4, java.time.OffsetDateTime.class).toInstant()).isEqualTo(at.plusMillis(5));
                        assertThat(rs.getBytes(5)).isEqualTo(hash(count - 1));
                        assertThat(rs.getString(6)).isEqualTo((count - 1) % 2 == 0 ? tenantA : tenantB);
                        assertThat(rs.getLong(7)).isEqualTo((count - 1) / 2 + 1);
                    }
                }
                Map<String, AuditChainStore.Head> heads = new java.util.HashMap<>();
                for (AuditChainStore.Head h : AuditChainStore.heads(c, null)) {
                    heads.put(h.tenantId(), h);
                }
                int indexA = count % 2 == 0 ? count - 2 : count - 1;
                int indexB = count % 2 == 0 ? count - 1 : count - 2;
                assertThat(heads.get(tenantA).seq()).isEqualTo(lastA.seq());
                assertThat(heads.get(tenantA).globalIndex()).as("the head points at its newest link's event").isEqualTo(positions[indexA]);
                assertThat(heads.get(tenantA).hash()).isEqualTo(lastA.hash());
                assertThat(heads.get(tenantA).checkpoint()).isFalse();
                assertThat(heads.get(tenantB).seq()).isEqualTo(lastB.seq());
                assertThat(heads.get(tenantB).globalIndex()).isEqualTo(positions[indexB]);
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
