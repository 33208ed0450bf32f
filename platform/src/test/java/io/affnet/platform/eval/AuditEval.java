package io.affnet.platform.eval;

import io.affnet.platform.audit.AuditCheckpoints;
import io.affnet.platform.audit.AuditState;
import io.affnet.platform.audit.AuditVerification;
import io.affnet.platform.audit.ChainHash;
import io.affnet.platform.audit.ChainVerifier;
import io.affnet.platform.audit.ChainedEventStorageEngine;
import io.affnet.platform.audit.StoredEvent;
import io.affnet.platform.support.EventRows;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import io.affnet.projections.ProcessingGroups;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./affnet eval audit [--seeds N]}: random activity (clicks, postbacks with every status move,
 * configuration changes) in two tenants; at random instants the live commission view's figures are
 * recorded (once the view has caught up with the store); afterwards the state is replayed to each instant
 * and compared field by field. Then the store is tampered with in many ways, each followed by the
 * verifier and an undo. Last line (also in {@code platform/target/eval-audit.txt}):
 * {@code instants=<n> mismatches=<n> tamper_cases=<n> tamper_detected=<n> replay_events_per_s=<n>}.
 */
class AuditEval extends PlatformIT {

    @Autowired
    AuditState state;
    @Autowired
    AuditVerification verification;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    EventStore eventStore;
    @Autowired
    EventStorageEngine engine;
    @Autowired
    EventProcessingConfiguration processing;

    record Snapshot(String tenantId, Instant at, Map<String, Long> live) {
    }

    record Conversion(Traffic tenant, String clickId, String txn, String goal, String[] status) {
    }

    @Test
    void replaysEveryRecordedInstantAndDetectsEveryTampering() throws Exception {
        int seeds = Integer.getInteger("eval.seeds", 1);
        int steps = Integer.getInteger("eval.steps", 400);
        List<Snapshot> snapshots = new ArrayList<>();
        List<Traffic> tenants = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            Random random = new Random(seed);
            List<Traffic> these = List.of(tenant("eval-a"), tenant("eval-b"));
            tenants.addAll(these);
            List<String[]> links = new ArrayList<>();
            for (Traffic t : these) {
                String lead = t.offer("{}", 86400);
                String sale = t.offer("{}", 86400);
                for (int a = 0; a < 2; a++) {
                    String aff = t.affiliate("a" + a + "@example.com", "[]");
                    links.add(new String[]{String.valueOf(these.indexOf(t)), t.link(aff, lead), lead});
                    links.add(new String[]{String.valueOf(these.indexOf(t)), t.link(aff, sale), sale});
                }
            }
            List<String[]> clicks = new ArrayList<>();
            List<Conversion> conversions = new ArrayList<>();
            for (int step = 0; step < steps; step++) {
                int action = random.nextInt(100);
                if (action < 40 || clicks.isEmpty()) {
                    String[] link = links.get(random.nextInt(links.size()));
                    clicks.add(new String[]{link[0], these.get(Integer.parseInt(link[0])).clickId(link[1])});
                } else if (action < 65) {
                    String[] click = clicks.get(random.nextInt(clicks.size()));
                    Traffic t = these.get(Integer.parseInt(click[0]));
                    String txn = "t" + seed + "-" + step;
                    boolean sale = random.nextBoolean();
                    String status = random.nextBoolean() ? "pending" : "approved";
                    t.postback("click_id=" + click[1] + "&txn_id=" + txn + "&goal=" + (sale ? "sale&amount=" + (1 + random.nextInt(500)) + ".25" : "lead")
                            + "&status=" + status);
                    conversions.add(new Conversion(t, click[1], txn, sale ? "sale" : "lead", new String[]{status}));
                } else if (action < 85 && !conversions.isEmpty()) {
                    Conversion c = conversions.get(random.nextInt(conversions.size()));
                    String next = switch (c.status()[0]) {
                        case "pending" -> random.nextBoolean() ? "approved" : "rejected";
                        case "approved" -> "reversed";
                        default -> null;
                    };
                    if (next != null && random.nextBoolean()) {
                        // The network moderates instead of the advertiser: the same move, or an adjustment of a pending or
                        // an approved one (which moves the affiliate's ledger by the difference).
                        boolean adjust = (c.status()[0].equals("pending") || c.status()[0].equals("approved")) && random.nextInt(3) == 0;
                        moderate(c, adjust ? "adjust" : switch (next) {
                            case "approved" -> "approve";
                            case "rejected" -> "reject";
                            default -> "reverse";
                        }, adjust ? "{\"reason\":\"eval\",\"payout\":\"" + random.nextInt(50) + "." + (10 + random.nextInt(90)) + "\"}"
                                : "{\"reason\":\"eval\"}");
                        if (!adjust) {
                            c.status()[0] = next;
                        }
                    } else if (next != null) {
                        c.tenant().postback("click_id=" + c.clickId() + "&txn_id=" + c.txn() + "&goal=" + c.goal()
                                + (c.goal().equals("sale") ? "&amount=1.00" : "") + "&status=" + next);
                        c.status()[0] = next;
                    }
                } else if (action < 92) {
                    Traffic t = these.get(random.nextInt(2));
                    t.affiliate("new" + step + "@example.com", "[]");
                } else {
                    Traffic t = these.get(random.nextInt(2));
                    snapshots.add(snapshot(t));
                }
                if (step % 8 == 7) {
                    snapshots.add(snapshot(these.get(random.nextInt(2))));
                }
            }
        }

        int mismatches = 0;
        long bestRate = 0;
        for (Snapshot s : snapshots) {
            AuditState.Replayed r = state.at(s.tenantId(), s.at(), null, null);
            bestRate = Math.max(bestRate, r.eventsPerSecond());
            List<AuditState.Difference> d = AuditState.compare(r.figures(), s.live(), "balance/", "conversions/");
            if (!d.isEmpty()) {
                mismatches++;
                System.out.println("mismatch at " + s.at() + " in " + s.tenantId() + ": " + d);
            }
        }
        for (Traffic t : tenants) {
            AuditState.Replayed r = state.at(t.tenantId, Instant.now(), null, null);
            bestRate = Math.max(bestRate, r.eventsPerSecond());
            System.out.printf("replay of %s at now: %d events in %d ms, %.1f µs CPU/event%n", t.tenantId, r.scanned(), r.millis(),
                    r.scanned() == 0 ? 0.0 : (double) r.cpuMicros() / r.scanned());
        }

        Traffic victim = tenants.get(0);
        checkpoints.checkpoint(victim.tenantId);
        victim.affiliate("after-checkpoint@example.com", "[]");
        assertThat(verification.verify(victim.tenantId).verified()).as(verification.verify(victim.tenantId).line()).isTrue();
        Tamper tamper = new Tamper(victim.tenantId);
        List<String> cases = List.of("edit-payload", "edit-metadata", "edit-timestamp", "edit-payload-type", "edit-aggregate-id",
                "edit-sequence", "delete-event", "delete-event-and-link", "reorder", "insert", "delete-newest-with-link",
                "edit-link-hash", "move-link-to-other-tenant", "rewrite-chain-after-edit", "edit-click-facts");
        int detected = 0;
        for (String kind : cases) {
            Runnable undo = tamper.apply(kind);
            ChainVerifier.Result r;
            try {
                r = verification.verify(victim.tenantId);
            } finally {
                undo.run();
            }
            System.out.println("tamper " + kind + ": " + r.line());
            if (!r.verified()) {
                detected++;
            }
            ChainVerifier.Result again = verification.verify(victim.tenantId);
            assertThat(again.verified()).as("undo of " + kind + ": " + again.line()).isTrue();
        }
        String line = "instants=" + snapshots.size() + " mismatches=" + mismatches + " tamper_cases=" + cases.size()
                + " tamper_detected=" + detected + " replay_events_per_s=" + bestRate;
        System.out.println("moderations=" + moderations + " (through the REST API, among the status moves)");
        System.out.println(line);
        write(line);
        assertThat(snapshots.size()).isGreaterThanOrEqualTo(Math.min(50, steps / 8));
    }

    /** Moderates a conversion through the REST API, once the moderation view has it. */
    private void moderate(Conversion c, String action, String body) throws Exception {
        String conversionId = null;
        for (byte[] payload : jdbc.queryForList("SELECT payload FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                byte[].class, c.clickId(), "io.affnet.api.conversion.ConversionRecordedEvent")) {
            com.fasterxml.jackson.databind.JsonNode e = JSON.readTree(payload);
            if (c.txn().equals(e.path("transactionId").asText())) {
                conversionId = e.get("conversionId").asText();
            }
        }
        if (conversionId == null) {
            return; // the report was refused (the click's window, a duplicate): nothing to moderate
        }
        String path = "/api/v1/conversions/" + conversionId + "/" + action;
        Response[] r = new Response[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> (r[0] = send("POST", path, c.tenant().key, body)).status() != 404);
        assertThat(r[0].status()).as(path + " " + r[0].body()).isEqualTo(200);
        moderations++;
    }

    private int moderations;

    private Traffic tenant(String stem) {
        return Traffic.tenant(this, stem, false);
    }

    /** The live commission view of a tenant once it has processed everything stored so far. */
    private Snapshot snapshot(Traffic t) {
        Instant at = Instant.now();
        long head = eventStore.createHeadToken().position().orElse(0);
        PooledStreamingEventProcessor core = processing.eventProcessor(ProcessingGroups.CORE_VIEWS, PooledStreamingEventProcessor.class)
                .orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !core.processingStatus().isEmpty()
                && core.processingStatus().values().stream().allMatch(st -> st.getCurrentPosition().orElse(0) >= head));
        Map<String, Long> live = state.liveBalances(t.tenantId, null, null);
        // Later events get a later time stamp than the instant.
        await().until(() -> Instant.now().isAfter(at.plusMillis(2)));
        return new Snapshot(t.tenantId, at, live);
    }

    private void write(String line) throws IOException {
        Path out = Path.of("target", "eval-audit.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + System.lineSeparator());
    }

    /** Tampering with the store behind the platform's back; each returns its undo. */
    private final class Tamper {
        private final String tenant;

        Tamper(String tenant) {
            this.tenant = tenant;
        }

        private List<Long> positions() {
            return jdbc.queryForList("SELECT global_index FROM audit_chain WHERE tenant_id = ? ORDER BY global_index", Long.class, tenant);
        }

        private long middle() {
            List<Long> p = positions();
            return p.get(p.size() / 3);
        }

        private final EventRows rows = new EventRows(jdbc);

        private Map<String, Object> row(long position) {
            return rows.event(position);
        }

        private void put(Map<String, Object> r) {
            rows.putEvent(r);
        }

        private Map<String, Object> link(long position) {
            return rows.link(position);
        }

        private void putLink(Map<String, Object> l) {
            rows.putLink(l);
        }

        private Runnable edit(long position, String set) {
            Map<String, Object> original = row(position);
            jdbc.update("UPDATE domainevententry SET " + set + " WHERE globalindex = ?", position);
            return () -> put(original);
        }

        Runnable apply(String kind) {
            long p = middle();
            return switch (kind) {
                case "edit-payload" -> edit(p, "payload = payload || ' '::bytea");
                case "edit-metadata" -> edit(p, "metadata = coalesce(metadata, ''::bytea) || ' '::bytea");
                case "edit-timestamp" -> edit(p, "\"timestamp\" = '2020-01-01T00:00:00.000Z'");
                case "edit-payload-type" -> edit(p, "payloadtype = payloadtype || 'X'");
                case "edit-aggregate-id" -> edit(p, "aggregateidentifier = aggregateidentifier || 'X'");
                case "edit-sequence" -> edit(p, "sequencenumber = sequencenumber + 100");
                case "delete-event" -> {
                    Map<String, Object> original = row(p);
                    jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", p);
                    yield () -> put(original);
                }
                case "delete-event-and-link", "delete-newest-with-link" -> {
                    long q = kind.startsWith("delete-newest") ? positions().get(positions().size() - 1) : p;
                    Map<String, Object> original = row(q);
                    Map<String, Object> l = link(q);
                    jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", q);
                    jdbc.update("DELETE FROM audit_chain WHERE global_index = ?", q);
                    yield () -> {
                        put(original);
                        putLink(l);
                    };
                }
                case "reorder" -> {
                    List<Long> all = positions();
                    long q = all.get(all.indexOf(p) + 1);
                    Map<String, Object> a = row(p);
                    Map<String, Object> b = row(q);
                    jdbc.update("DELETE FROM domainevententry WHERE globalindex IN (?, ?)", p, q);
                    a.put("globalindex", q);
                    b.put("globalindex", p);
                    put(a);
                    put(b);
                    yield () -> {
                        a.put("globalindex", p);
                        b.put("globalindex", q);
                        jdbc.update("DELETE FROM domainevententry WHERE globalindex IN (?, ?)", p, q);
                        put(a);
                        put(b);
                    };
                }
                case "insert" -> {
                    Long forged = jdbc.queryForObject("""
                            INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, payload,
                                                          payloadrevision, payloadtype, "timestamp")
                            SELECT aggregateidentifier || '-forged', sequencenumber, type, eventidentifier || '-forged', metadata, payload,
                                   payloadrevision, payloadtype, "timestamp"
                            FROM domainevententry WHERE globalindex = ? RETURNING globalindex""", Long.class, p);
                    yield () -> jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", forged);
                }
                case "edit-link-hash" -> {
                    Map<String, Object> l = link(p);
                    jdbc.update("UPDATE audit_chain SET hash = sha256(hash) WHERE global_index = ?", p);
                    yield () -> putLink(l);
                }
                case "move-link-to-other-tenant" -> {
                    Map<String, Object> l = link(p);
                    jdbc.update("UPDATE audit_chain SET tenant_id = 'someone-else' WHERE global_index = ?", p);
                    yield () -> putLink(l);
                }
                case "rewrite-chain-after-edit" -> rewrite(p);
                case "edit-click-facts" -> {
                    // The replay's facts beside a click's link (outside the hash): the verifier compares them with the event.
                    Long q = jdbc.queryForObject("SELECT global_index FROM audit_chain WHERE tenant_id = ? AND click_at IS NOT NULL "
                            + "ORDER BY abs(global_index - ?) LIMIT 1", Long.class, tenant, p);
                    Map<String, Object> l = link(q);
                    jdbc.update("UPDATE audit_chain SET click_offer = 'off_forged' WHERE global_index = ?", q);
                    yield () -> putLink(l);
                }
                default -> throw new IllegalArgumentException(kind);
            };
        }

        /** Edits an event before the last checkpoint and recomputes every later link and the head: only the checkpoint can tell. */
        private Runnable rewrite(long position) {
            Map<String, Object> original = row(position);
            List<Map<String, Object>> links = jdbc.queryForList(
                    "SELECT * FROM audit_chain WHERE tenant_id = ? AND global_index >= ? ORDER BY global_index", tenant, position);
            Map<String, Object> head = jdbc.queryForMap("SELECT * FROM audit_chain_head WHERE tenant_id = ?", tenant);
            jdbc.update("UPDATE domainevententry SET payload = payload || ' '::bytea WHERE globalindex = ?", position);
            List<Map<String, Object>> before = jdbc.queryForList(
                    "SELECT hash FROM audit_chain WHERE tenant_id = ? AND global_index < ? ORDER BY global_index DESC LIMIT 1", tenant, position);
            byte[] hash = before.isEmpty() ? ChainHash.genesis(tenant) : (byte[]) before.get(0).get("hash");
            ChainedEventStorageEngine chained = (ChainedEventStorageEngine) engine;
            for (Map<String, Object> l : links) {
                long gi = (Long) l.get("global_index");
                StoredEvent e = chained.storedAfter(gi - 1, 1).get(0);
                hash = ChainHash.next(hash, e);
                jdbc.update("UPDATE audit_chain SET hash = ? WHERE global_index = ?", hash, gi);
            }
            jdbc.update("UPDATE audit_chain_head SET hash = ? WHERE tenant_id = ?", hash, tenant);
            Supplier<Void> restore = () -> {
                put(original);
                links.forEach(this::putLink);
                jdbc.update("UPDATE audit_chain_head SET hash = ? WHERE tenant_id = ?", head.get("hash"), tenant);
                return null;
            };
            return restore::get;
        }
    }
}
