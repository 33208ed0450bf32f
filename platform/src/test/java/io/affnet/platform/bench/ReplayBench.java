package io.affnet.platform.bench;

import io.affnet.platform.audit.AuditHistory;
import io.affnet.platform.audit.AuditState;
import io.affnet.platform.audit.TenantReplay;
import io.affnet.platform.eventstore.JdbcEventBatches;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay's speed, before and after its own read path, on one tenant's history of
 * {@code bench.replay-clicks} clicks. Run alone:
 * {@code ./affnet test -pl platform -am -Dtest=ReplayBench -Dbench.replay-clicks=200000}.
 * <p>
 * The history is one real click (with a conversion) recorded through the platform, copied in SQL under new
 * event ids and positions, each copy with a chain link of the tenant (dummy hashes: this tenant's chain does
 * not verify, which the replay does not look at): appending 200 000 clicks through the chained engine
 * takes hours on the busy machine (AuditBench appended about 20 a second), copying them a few seconds. The state at now is then replayed through
 * the history (the path before: the storage engine's batches, every event's metadata, whole clicks) and
 * through {@link TenantReplay} reading every click's payload ("after") and through it reading the clicks' facts
 * kept beside their links ("facts", V120: the copies' links carry the real click's facts, which the storage
 * engine wrote), three times each, alternately; all must give the same figures. Wall time and the replaying
 * thread's CPU time are reported.
 * Last line: {@code replay_events=… before_events_per_s=… before_cpu_us_per_event=… after_events_per_s=… after_cpu_us_per_event=…
 * facts_events_per_s=… facts_cpu_us_per_event=…}
 */
class ReplayBench extends PlatformIT {

    @Autowired
    AuditHistory history;
    @Autowired
    JdbcEventBatches batches;

    @Test
    void replaySpeedBeforeAndAfter() throws Exception {
        int clicks = Integer.getInteger("bench.replay-clicks", 200_000);
        Traffic t = Traffic.tenant(this, "bench-replay", false);
        String offer = t.offer("{}", 86400);
        String code = t.link(t.affiliate("replay@example.com", "[]"), offer);
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=R1&status=approved").body()).isEqualTo("accepted");
        copy(t.tenantId, click, clicks);

        AuditState before = new AuditState(history, null, jdbc);
        AuditState after = new AuditState(history, new TenantReplay(batches, false), jdbc);
        AuditState facts = new AuditState(history, new TenantReplay(batches, true), jdbc);
        long[] best = new long[6];
        best[1] = Long.MAX_VALUE;
        best[3] = Long.MAX_VALUE;
        best[5] = Long.MAX_VALUE;
        long events = 0;
        Map<String, Long> figures = null;
        for (int run = 0; run < 3; run++) {
            AuditState.Replayed b = before.at(t.tenantId, Instant.now(), null, null);
            AuditState.Replayed a = after.at(t.tenantId, Instant.now(), null, null);
            AuditState.Replayed f = facts.at(t.tenantId, Instant.now(), null, null);
            assertThat(a.figures()).isEqualTo(b.figures());
            assertThat(a.scanned()).isEqualTo(b.scanned());
            assertThat(f.figures()).isEqualTo(b.figures());
            assertThat(f.scanned()).isEqualTo(b.scanned());
            figures = a.figures();
            events = a.scanned();
            System.out.printf("run %d: before %d events in %d ms (%d/s, %.2f µs CPU/event); after %d ms (%d/s, %.2f µs CPU/event); "
                            + "facts %d ms (%d/s, %.2f µs CPU/event)%n",
                    run, b.scanned(), b.millis(), b.eventsPerSecond(), (double) b.cpuMicros() / b.scanned(), a.millis(),
                    a.eventsPerSecond(), (double) a.cpuMicros() / a.scanned(), f.millis(), f.eventsPerSecond(),
                    (double) f.cpuMicros() / f.scanned());
            best[0] = Math.max(best[0], b.eventsPerSecond());
            best[1] = Math.min(best[1], b.cpuMicros());
            best[2] = Math.max(best[2], a.eventsPerSecond());
            best[3] = Math.min(best[3], a.cpuMicros());
            best[4] = Math.max(best[4], f.eventsPerSecond());
            best[5] = Math.min(best[5], f.cpuMicros());
        }
        assertThat(events).isGreaterThan(clicks);
        assertThat(figures.values().stream().mapToLong(Long::longValue).max().orElse(0)).isGreaterThanOrEqualTo(clicks);
        System.out.printf("replay_events=%d before_events_per_s=%d before_cpu_us_per_event=%.2f after_events_per_s=%d after_cpu_us_per_event=%.2f "
                        + "facts_events_per_s=%d facts_cpu_us_per_event=%.2f%n",
                events, best[0], (double) best[1] / events, best[2], (double) best[3] / events, best[4], (double) best[5] / events);
    }

    /**
     * {@code n} copies of the click's stored event, each with a link in the tenant's chain, in chunks of 20 000 (each
     * statement well within the platform's 10 s socket timeout on a busy machine).
     */
    private void copy(String tenantId, String clickId, int n) {
        // The copies' links carry the click's facts as the engine wrote them for the real click (V120).
        Long template = jdbc.queryForObject("""
                SELECT c.global_index FROM audit_chain c JOIN domainevententry e ON e.globalindex = c.global_index
                WHERE e.aggregateidentifier = ? AND e.payloadtype = 'io.affnet.api.click.ClickRecordedEvent'
                  AND c.click_at IS NOT NULL""", Long.class, clickId);
        long first = jdbc.queryForObject("SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
        for (int done = 0; done < n; done += 20_000) {
            int chunk = Math.min(20_000, n - done);
            long from = jdbc.queryForObject("SELECT coalesce(max(globalindex), 0) FROM domainevententry", Long.class);
            jdbc.update("""
                    INSERT INTO domainevententry (eventidentifier, aggregateidentifier, sequencenumber, type, "timestamp",
                        payloadtype, payloadrevision, payload, metadata)
                    SELECT 'bench-' || md5(random()::text || g), 'bench-' || md5(random()::text || g), 0, type, "timestamp",
                        payloadtype, payloadrevision, payload, metadata
                    FROM domainevententry, generate_series(1, ?) g
                    WHERE aggregateidentifier = ? AND payloadtype = 'io.affnet.api.click.ClickRecordedEvent'""", chunk, clickId);
            long seq = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM audit_chain WHERE tenant_id = ?", Long.class, tenantId);
            jdbc.update("""
                    INSERT INTO audit_chain (global_index, tenant_id, seq, hash, click_offer, click_affiliate, click_at, event_at)
                    SELECT e.globalindex, ?, ? + row_number() OVER (ORDER BY e.globalindex), '\\x00'::bytea,
                           t.click_offer, t.click_affiliate, t.click_at, t.event_at
                    FROM domainevententry e, audit_chain t WHERE e.globalindex > ? AND e.eventidentifier LIKE 'bench-%'
                      AND t.global_index = ?""", tenantId, seq, from, template);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_chain WHERE global_index > ? AND tenant_id = ? AND click_at IS NOT NULL",
                Long.class, first, tenantId)).as("every copy linked, with its facts").isEqualTo(n);
        jdbc.execute("ANALYZE domainevententry");
        jdbc.execute("ANALYZE audit_chain");
    }
}
