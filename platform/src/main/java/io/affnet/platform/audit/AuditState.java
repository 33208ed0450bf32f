package io.affnet.platform.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State at an instant and the difference between two instants, by replaying the tenant's events (read in
 * large batches through the storage engine, each deserialised once, only the types the figures need) into a
 * fresh {@link StateReplay}. The comparison with the live views reads those views and never writes them.
 */
public final class AuditState {

    /** Events listed in a diff at most (the figures cover all of them). */
    static final int DIFF_EVENTS = 1000;

    /**
     * @param cpuMicros CPU time of the replaying thread (reading, decoding, folding; the database's own work
     *                  is in its process)
     */
    public record Replayed(Map<String, Long> figures, long events, long scanned, long millis, long cpuMicros, String zone) {
        public long eventsPerSecond() {
            return millis == 0 ? scanned * 1000 : scanned * 1000 / millis;
        }

        /** Events read per second of the replaying thread's CPU time. */
        public long eventsPerCpuSecond() {
            return cpuMicros == 0 ? scanned * 1_000_000 : scanned * 1_000_000 / cpuMicros;
        }
    }

    public record Cause(long globalPosition, String type, String aggregateId, Instant timestamp, List<String> figures) {
    }

    public record Change(String figure, long from, long to) {
    }

    /** @param scanned events replayed up to {@code to}; {@code millis}: the replay's wall time */
    public record Diff(List<Change> changes, List<Cause> causes, long causesTotal, long scanned, long millis) {
    }

    public record Difference(String figure, long replayed, long live) {
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private final AuditHistory history;
    private final TenantReplay fast;
    private final JdbcTemplate jdbc;

    /** @param fast the replay's own read path over the JDBC store; null (Axon Server): through the history */
    public AuditState(AuditHistory history, TenantReplay fast, JdbcTemplate jdbc) {
        this.history = history;
        this.fast = fast;
        this.jdbc = jdbc;
    }

    public Replayed at(String tenantId, Instant at, String affiliateId, String offerId) {
        StateReplay replay = new StateReplay(affiliateId, offerId);
        long started = System.nanoTime();
        long cpuStarted = CPU.getCurrentThreadCpuTime();
        long scanned;
        if (fast != null) {
            scanned = fast.read(tenantId, StateReplay.TYPES, at.plusNanos(1), replay::apply);
        } else {
            long[] count = new long[1];
            history.read(filter(tenantId, at), entry -> {
                count[0]++;
                TrackedEventMessage<?> m = entry.read().message();
                replay.apply(m.getPayload(), m.getTimestamp());
                return true;
            });
            scanned = count[0];
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long cpuMicros = (CPU.getCurrentThreadCpuTime() - cpuStarted) / 1000;
        return new Replayed(replay.figures(), replay.events(), scanned, millis, cpuMicros, replay.zone().getId());
    }

    /**
     * What changed between two instants: one replay up to {@code to} through the replay's own read path (the history
     * without it), the figures taken as they stood when the first event after {@code from} arrives, and every event
     * after {@code from} that moved a figure, named by its position, type and aggregate.
     */
    public Diff diff(String tenantId, Instant from, Instant to, String affiliateId, String offerId) {
        StateReplay replay = new StateReplay(affiliateId, offerId);
        List<Cause> causes = new ArrayList<>();
        long[] total = new long[1];
        Map<String, Long>[] before = new Map[1];
        long started = System.nanoTime();
        long[] scanned = new long[1];
        TenantReplay.PositionedSink sink = (index, aggregate, type, payload, at) -> {
            scanned[0]++;
            boolean inWindow = at.isAfter(from);
            if (inWindow && before[0] == null) {
                before[0] = replay.figures();
            }
            List<String> changed = replay.apply(payload, at);
            if (inWindow && !changed.isEmpty()) {
                total[0]++;
                if (causes.size() < DIFF_EVENTS) {
                    causes.add(new Cause(index, type, aggregate, at, List.copyOf(new TreeSet<>(changed))));
                }
            }
        };
        if (fast != null) {
            // From payloads, not facts: a cause names its aggregate, which the facts do not keep.
            fast.read(tenantId, StateReplay.TYPES, to.plusNanos(1), sink, false);
        } else {
            history.read(filter(tenantId, to), entry -> {
                TrackedEventMessage<?> m = entry.read().message();
                String aggregate = m instanceof DomainEventMessage<?> d && !d.getAggregateIdentifier().equals(d.getIdentifier())
                        ? d.getAggregateIdentifier() : null;
                sink.accept(entry.read().stored().globalIndex(), aggregate, m.getPayloadType().getSimpleName(), m.getPayload(),
                        m.getTimestamp());
                return true;
            });
        }
        Map<String, Long> after = replay.figures();
        Map<String, Long> start = before[0] == null ? after : before[0];
        List<Change> changes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(start.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            long a = start.getOrDefault(name, 0L);
            long b = after.getOrDefault(name, 0L);
            if (a != b) {
                changes.add(new Change(name, a, b));
            }
        }
        return new Diff(changes, causes, total[0], scanned[0], (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The live commission view's figures (what {@code GET /api/v1/affiliates/{id}/balance} sums) in the
     * replay's names: balances per affiliate and currency and conversion counts by status.
     */
    public Map<String, Long> liveBalances(String tenantId, String affiliateId, String offerId) {
        Map<String, Long> live = new TreeMap<>();
        StringBuilder where = new StringBuilder("tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (affiliateId != null) {
            where.append(" AND affiliate_id = ?");
            args.add(affiliateId);
        }
        if (offerId != null) {
            where.append(" AND offer_id = ?");
            args.add(offerId);
        }
        jdbc.query("SELECT affiliate_id, currency, status, sum(amount_minor), count(*) FROM affiliate_commission WHERE " + where
                + " GROUP BY affiliate_id, currency, status", rs -> {
            String balance = "balance/" + rs.getString(1) + "/" + rs.getString(2) + "/";
            String status = rs.getString(3);
            long sum = rs.getLong(4);
            long count = rs.getLong(5);
            live.merge("conversions/" + status, count, Math::addExact);
            switch (status) {
                case "PENDING" -> {
                    live.merge(balance + "pendingMinor", sum, Math::addExact);
                    live.merge(balance + "pendingConversions", count, Math::addExact);
                }
                case "APPROVED" -> {
                    live.merge(balance + "approvedMinor", sum, Math::addExact);
                    live.merge(balance + "approvedConversions", count, Math::addExact);
                }
                case "REVERSED" -> live.merge(balance + "reversedMinor", sum, Math::addExact);
                default -> {
                }
            }
        }, args.toArray());
        live.values().removeIf(v -> v == 0);
        return live;
    }

    /** Field by field: every figure of either side whose values differ, restricted to the names {@code live} covers. */
    public static List<Difference> compare(Map<String, Long> replayed, Map<String, Long> live, String... prefixes) {
        TreeSet<String> names = new TreeSet<>();
        for (String p : prefixes) {
            replayed.keySet().stream().filter(n -> n.startsWith(p)).forEach(names::add);
            live.keySet().stream().filter(n -> n.startsWith(p)).forEach(names::add);
        }
        List<Difference> differences = new ArrayList<>();
        for (String n : names) {
            long r = replayed.getOrDefault(n, 0L);
            long l = live.getOrDefault(n, 0L);
            if (r != l) {
                differences.add(new Difference(n, r, l));
            }
        }
        return differences;
    }

    private static AuditHistory.Filter filter(String tenantId, Instant upTo) {
        return new AuditHistory.Filter(tenantId, null, upTo.plusNanos(1), StateReplay.TYPES, null, null, null, 0);
    }

    static Map<String, Object> body(Replayed r) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("figures", r.figures());
        b.put("events", r.events());
        b.put("replayMillis", r.millis());
        b.put("replayEventsPerSecond", r.eventsPerSecond());
        b.put("replayCpuMicrosPerEvent", r.scanned() == 0 ? 0 : (double) r.cpuMicros() / r.scanned());
        b.put("zone", r.zone());
        return b;
    }
}
