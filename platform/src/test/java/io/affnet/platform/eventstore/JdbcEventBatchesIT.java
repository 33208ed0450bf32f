package io.affnet.platform.eventstore;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch read of many aggregates' events (the conversion batcher's click prefetch) against Axon's own read. */
class JdbcEventBatchesIT extends PlatformIT {

    @Autowired
    JdbcEventBatches batches;

    @Autowired
    EventStore eventStore;

    @Test
    void readsEachAggregatesEventsInSequenceOrderAsAxonDoes() throws Exception {
        Traffic t = Traffic.tenant(this, "batches", false);
        String code = t.link(t.affiliate("batches@example.com", "[]"), t.offer("null", 86400));
        String a = t.clickId(code);
        String b = t.clickId(code);
        for (String txn : List.of("a1", "a2")) {
            assertThat(t.postback("click_id=" + a + "&txn_id=" + txn + "&goal=lead").body()).isEqualTo("accepted");
        }
        assertThat(t.postback("click_id=" + b + "&txn_id=b1&goal=lead").body()).isEqualTo("accepted");
        String missing = "nope" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);

        Map<String, List<DomainEventData<?>>> all = batches.read(List.of(b, missing, a), false);
        assertThat(all.keySet()).containsExactlyInAnyOrder(a, b, missing);
        assertThat(all.get(missing)).isEmpty();
        for (String click : List.of(a, b)) {
            List<String> axon = new ArrayList<>();
            eventStore.readEvents(click).asStream().map(DomainEventMessage::getIdentifier).forEach(axon::add);
            assertThat(all.get(click)).extracting(DomainEventData::getEventIdentifier).containsExactlyElementsOf(axon);
            assertThat(all.get(click)).extracting(DomainEventData::getSequenceNumber)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, axon.size()).boxed().toList());
        }
        // a: the click, two conversions with their commissions; b: the click, one of each.
        assertThat(all.get(a)).hasSizeGreaterThanOrEqualTo(5);
        assertThat(all.get(b)).hasSizeGreaterThanOrEqualTo(3);

        Map<String, List<DomainEventData<?>>> first = batches.read(List.of(a, b, missing), true);
        assertThat(first.get(a)).extracting(DomainEventData::getEventIdentifier).containsExactly(all.get(a).get(0).getEventIdentifier());
        assertThat(first.get(b)).extracting(DomainEventData::getEventIdentifier).containsExactly(all.get(b).get(0).getEventIdentifier());
        assertThat(first.get(missing)).isEmpty();
        assertThat(batches.withFirstEvent(List.of(a, missing, b))).containsExactlyInAnyOrder(a, b);
    }

    /**
     * Whatever the planner believes of the event table, the read is one index lookup per aggregate: no sequential
     * scan, no hash join and no parallel workers, for a batch of a hundred or of thousands of aggregates, custom
     * plan or generic. Planned against a large event table that was never analysed (the bench's, in a cluster
     * without autovacuum, where {@code aggregateidentifier = ANY (?)} became parallel scans): a temporary table of
     * the same name and indexes, which shadows the real one in this session only.
     */
    @Test
    void theReadIsPlannedAsIndexLookupsPerAggregate() {
        jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Void>) c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE domainevententry (LIKE public.domainevententry INCLUDING ALL)");
                try {
                    s.execute("""
                            INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, eventidentifier,
                                                          payload, payloadtype, "timestamp")
                            SELECT i, 'agg' || (i / 5), i % 5, 'Click', 'ev' || i, decode(repeat('ab', 600), 'hex'), 'X', 'now'
                            FROM generate_series(1, 100000) AS i""");
                    for (int n : new int[]{100, 2000}) {
                        StringBuilder ids = new StringBuilder("{");
                        for (int i = 0; i < n; i++) {
                            ids.append(i == 0 ? "" : ",").append("agg").append(i * 7);
                        }
                        ids.append('}');
                        for (int variant = 0; variant < 3; variant++) {
                            String statement = (variant == 2 ? JdbcEventBatches.aggregatesWithFirstEvent()
                                    : JdbcEventBatches.aggregatesEvents(variant == 1)).replace("?::varchar[]", "$1::varchar[]");
                            assertIndexLookups(explain(s, "EXPLAIN " + statement.replace("$1::varchar[]", "'" + ids + "'::varchar[]")));
                            s.execute("SET plan_cache_mode = force_generic_plan");
                            try {
                                s.execute("PREPARE batches_plan(varchar[]) AS " + statement);
                                assertIndexLookups(explain(s, "EXPLAIN EXECUTE batches_plan('" + ids + "')"));
                            } finally {
                                s.execute("DEALLOCATE batches_plan");
                                s.execute("RESET plan_cache_mode");
                            }
                        }
                    }
                } finally {
                    s.execute("DROP TABLE pg_temp.domainevententry");
                }
            }
            return null;
        });
    }

    private static String explain(java.sql.Statement s, String sql) throws java.sql.SQLException {
        List<String> lines = new ArrayList<>();
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return String.join("\n", lines);
    }

    private static void assertIndexLookups(String plan) {
        assertThat(plan).as(plan).contains("Nested Loop").contains("Index").contains("on domainevententry d")
                .doesNotContain("Seq Scan").doesNotContain("Hash").doesNotContain("Gather");
    }
}
