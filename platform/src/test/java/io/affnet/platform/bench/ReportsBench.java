package io.affnet.platform.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.platform.support.PlatformIT;
import io.affnet.projections.report.ReportProjection;
import io.affnet.projections.report.ReportRebuild;
import io.affnet.projections.report.ReportViews;
import io.affnet.query.report.ReportQuery;
import io.affnet.query.report.ReportRequests;
import io.affnet.query.report.ReportService;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * {@code ./affnet bench reports}: not a test (no *Test/*IT name, so the suite skips it). Loads
 * {@code bench.events} clicks (3 % of them with a conversion) for one tenant over 30 days straight into
 * the event store while the streaming processors are stopped; moves the other processors to the head
 * (as if they had kept up) and times a real rebuild of the report views ({@link ReportRebuild}: the
 * whole history into new index versions, then the alias swap) as rebuild_events_per_s, with the CPU
 * the platform, Elasticsearch and PostgreSQL spent per event; times the 30-day report by day × offer;
 * and measures freshness (commit → visible in a report) while appending clicks at {@code bench.rate}
 * per second.
 */
class ReportsBench extends PlatformIT {

    @Autowired
    EventStore eventStore;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    ReportRebuild rebuild;
    @Autowired
    ReportViews views;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    ReportService reportService;
    @Autowired
    ReportRequests reportRequests;

    @Test
    void bench() throws Exception {
        long events = Long.getLong("bench.events", 10_000_000L);
        int rate = Integer.getInteger("bench.rate", 5000);
        int reportRuns = Integer.getInteger("bench.report-runs", 50);
        int freshnessSeconds = Integer.getInteger("bench.freshness-seconds", 20);
        boolean reuse = Boolean.getBoolean("bench.reuse");
        // More rebuilds after the timed one, each timed alone: the JIT is warm by then (at 100,000 events the
        // first rebuild's platform CPU is largely the JIT's, see docs/bench-reports.md, session 10).
        int warmRebuilds = Integer.getInteger("bench.warm-rebuilds", 0);
        PooledStreamingEventProcessor processor = processing
                .eventProcessor(ReportProjection.GROUP, PooledStreamingEventProcessor.class).orElseThrow();
        // The bench database remembers its dataset, so BENCH_REUSE=true can time a new build of the
        // platform on an old load (10 M clicks take the better part of an hour to append and catch up).
        jdbc.execute("CREATE TABLE IF NOT EXISTS bench_reports_dataset (tenant_id text NOT NULL, api_key text NOT NULL,"
                + " clicks bigint NOT NULL, events bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())");
        List<Map<String, Object>> previous = reuse
                ? jdbc.queryForList("SELECT tenant_id, api_key, events FROM bench_reports_dataset WHERE clicks = ?", events)
                : List.of();
        if (reuse && previous.isEmpty()) {
            throw new AssertionError("BENCH_REUSE: the bench database holds no dataset of " + events + " clicks");
        }
        long appended;
        double loadSeconds;
        String tenantId;
        String key;
        if (!previous.isEmpty()) {
            tenantId = (String) previous.get(0).get("tenant_id");
            key = (String) previous.get(0).get("api_key");
            appended = ((Number) previous.get(0).get("events")).longValue();
            loadSeconds = Double.NaN;
            await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/api/v1/tenants/" + tenantId, key, null).status() == 200);
            System.out.printf("reusing the dataset of %d clicks (%d events) of tenant %s%n", events, appended, tenantId);
        } else {
            String[] tenant = registerTenant(uniqueSlug("bench"));
            tenantId = tenant[0];
            key = tenant[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/api/v1/tenants/" + tenantId, key, null).status() == 200);
            Cpu loadCpuBefore = Cpu.now();
            long loadStart = System.nanoTime();
            appended = load(processor, tenantId, events);
            loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            // The append's cost: the JVM appends (and its other processors follow the store meanwhile).
            appendCpu = Cpu.now().perEvent(loadCpuBefore, appended) + appendSteps();
            System.out.printf("append: %d events in %.1fs (%s; load average %s)%n", appended, loadSeconds, appendCpu, Cpu.loadAverage());
            jdbc.update("INSERT INTO bench_reports_dataset (tenant_id, api_key, clicks, events) VALUES (?, ?, ?, ?)",
                    tenantId, key, events, appended);
        }

        // The other processors catch up first (not timed): during a real rebuild they are at the head.
        long loaded = head();
        List<StreamingEventProcessor> others = new ArrayList<>();
        processing.eventProcessors().forEach((name, p) -> {
            if (p instanceof StreamingEventProcessor s && !name.equals(ReportProjection.GROUP)) {
                others.add(s);
            }
        });
        await().atMost(Duration.ofHours(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> others.stream().allMatch(o -> caughtUp(o, loaded)));
        // The rebuild: the whole history replayed into new index versions, then the aliases swap.
        long stored = jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        long half = head() / 2;
        Cpu cpuBefore = Cpu.now();
        Cpu cpuHalf = null;
        long halfAt = 0;
        long indexStart = System.nanoTime();
        rebuild.start();
        long deadline = indexStart + TimeUnit.HOURS.toNanos(6);
        while (rebuild.status().state().equals("RUNNING")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("rebuild still running after 6 h");
            }
            // The rebuild's own progress: the processor's positions, or the bulk phase's (which reads a few ranges ahead of its writes).
            var progress = rebuild.status().progress();
            if (cpuHalf == null && progress != null && progress.eventsDone() >= half) {
                cpuHalf = Cpu.now();
                halfAt = System.nanoTime();
            }
            Thread.sleep(100);
        }
        long indexEnd = System.nanoTime();
        double indexSeconds = (indexEnd - indexStart) / 1e9;
        Cpu cpuAfter = Cpu.now();
        if (!rebuild.status().state().equals("DONE")) {
            throw new AssertionError("rebuild " + rebuild.status());
        }
        String rebuildCpu = cpuAfter.perEvent(cpuBefore, stored);
        // The second half alone, with the JIT warm: closer to what a long rebuild costs per event.
        String secondHalf = cpuHalf == null ? "second half not seen" : String.format("second half %.0f events/s, %s",
                (stored - half) / ((indexEnd - halfAt) / 1e9), cpuAfter.perEvent(cpuHalf, stored - half));
        long rebuildRate = Math.round(stored / indexSeconds);
        String esTimes = indexTimes();
        // Printed now too: a long run that fails later keeps its rebuild figures in the log.
        System.out.printf("rebuild: %d events in %.1fs, %d/s (%s; %s; %s; load average %s)%n", stored, indexSeconds,
                rebuildRate, rebuildCpu, secondHalf, esTimes, Cpu.loadAverage());
        StringBuilder warmRuns = new StringBuilder();
        for (int i = 0; i < warmRebuilds; i++) {
            Cpu before = Cpu.now();
            long t0 = System.nanoTime();
            rebuild.start();
            while (rebuild.status().state().equals("RUNNING")) {
                if (System.nanoTime() - t0 > TimeUnit.HOURS.toNanos(6)) {
                    throw new AssertionError("warm rebuild still running after 6 h");
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!rebuild.status().state().equals("DONE")) {
                throw new AssertionError("warm rebuild " + rebuild.status());
            }
            String one = String.format("warm rebuild %d: %.0f events/s, %s, load average %s", i + 1, stored / seconds,
                    Cpu.now().perEvent(before, stored), Cpu.loadAverage());
            System.out.println(one);
            warmRuns.append("; ").append(one);
        }

        String from = LocalDate.now(ZoneId.of("Europe/Berlin")).minusDays(30).toString();
        String to = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(1).toString();
        String report = "/api/v1/reports?metrics=clicks,unique_clicks,conversions,revenue,payout,profit&groupBy=day,offer&from="
                + from + "&to=" + to + "&pageSize=1000";
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", report, key, null).status() == 200);
        ReportQuery reportQuery = reportRequests.report(Map.of("metrics", List.of("clicks,unique_clicks,conversions,revenue,payout,profit"),
                "groupBy", List.of("day,offer"), "from", List.of(from), "to", List.of(to)), ZoneId.of("Europe/Berlin"));
        String source = reportService.usesRollups(reportQuery, ZoneId.of("Europe/Berlin"))
                ? "click counts from rollups (whole hours) and click documents (edge hours)" : "click counts from click documents";
        long[] times = new long[reportRuns];
        long[] warm = new long[reportRuns];
        long indexedClicks = 0;
        // Each timed run starts with Elasticsearch's shard request cache cleared on the report indices:
        // with no ingest between runs, identical requests would otherwise be answered from that cache,
        // which a live index (refreshed every second under traffic) never does. The warm runs after
        // them show what the cache gives.
        for (int i = -5; i < 2 * reportRuns; i++) {
            if (i >= 0 && i < reportRuns) {
                elasticsearch.indices().clearCache(c -> c.index(views.clicksAlias(), views.conversionsAlias(), views.rollupsAlias())
                        .request(true).query(false).fielddata(false));
            }
            long t0 = System.nanoTime();
            Response r = send("GET", report, key, null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r.status() != 200) {
                throw new AssertionError(r.body());
            }
            if (i >= reportRuns) {
                warm[i - reportRuns] = ms;
            } else if (i >= 0) {
                times[i] = ms;
            } else {
                indexedClicks = 0;
                for (JsonNode row : r.json().get("rows")) {
                    indexedClicks += row.get(2).asLong();
                }
            }
        }
        Arrays.sort(times);
        Arrays.sort(warm);

        List<Long> freshness = freshness(tenantId, key, rate, freshnessSeconds, from, to);
        long[] f = freshness.stream().mapToLong(Long::longValue).sorted().toArray();
        String summary = String.format("loaded %d events (%.1fs to append, %.0f/s; %s); rebuilt %d events in %.1fs (%s; %s; %s; load average %s%s);"
                        + " report rows cover %d clicks (%s); report p50=%dms p95=%dms over %d runs, request cache cleared before each"
                        + " (warm, from the request cache: p50=%dms p95=%dms);"
                        + " freshness %d probes at %d events/s offered (%d/s achieved): p50=%dms p99=%dms max=%dms",
                appended, loadSeconds, appended / loadSeconds, appendCpu, stored, indexSeconds, rebuildCpu, secondHalf, esTimes, Cpu.loadAverage(), warmRuns,
                indexedClicks, source,
                pct(times, 50), pct(times, 95), reportRuns, pct(warm, 50), pct(warm, 95), f.length, rate, actualRate, pct(f, 50), pct(f, 99),
                f.length == 0 ? -1 : f[f.length - 1]);
        String line = "events=" + stored + " rebuild_events_per_s=" + rebuildRate + " report_p95_ms=" + pct(times, 95)
                + " freshness_p99_ms=" + pct(f, 99);
        System.out.println(summary);
        System.out.println(line);
        Files.writeString(Path.of("target", "bench-reports.txt"), summary + "\n" + line + "\n");
    }

    /**
     * Appends {@code events} clicks (and 3 % conversions) over the last 30 days, with {@code report-views}
     * stopped (the others keep running, as they would); answers the number of events appended.
     */
    private long load(PooledStreamingEventProcessor processor, String tenantId, long events) {
        await().atMost(Duration.ofSeconds(60)).until(() -> caughtUp(processor, head()));
        // The report processor stops while the history is appended; the others keep running, as they would.
        processor.shutDown();

        // In time order, as a real history is (clicks are appended as they happen): evenly over the last
        // 30 days, each at a random moment of its own slot.
        Instant start = Instant.now().minus(Duration.ofDays(30));
        long slotNanos = Math.max(1, Duration.ofDays(30).toNanos() / events);
        SplittableRandom random = new SplittableRandom(7);
        List<DomainEventMessage<?>> batch = new ArrayList<>(5000);
        long appended = 0;
        for (long i = 0; i < events; i++) {
            Instant at = start.plusNanos(i * slotNanos + random.nextLong(slotNanos));
            String clickId = "bc" + i;
            DomainEventMessage<?> click = click(tenantId, clickId, at, random, Map.of("sub1", "s" + random.nextInt(20)));
            batch.add(click);
            appended++;
            if (random.nextInt(100) < 3) {
                batch.add(conversion((ClickRecordedEvent) click.getPayload()));
                appended++;
            }
            if (batch.size() >= 5000) {
                eventStore.publish(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            eventStore.publish(batch);
            batch.clear();
        }
        return appended;
    }

    /**
     * Appends clicks at {@code rate}/s in 50 ms batches; one click per batch carries a unique sub2 probe.
     * One poller asks every 50 ms for the live clicks grouped by sub2 (a single cheap report, not one
     * query per probe) and notes when each probe first appears.
     */
    private List<Long> freshness(String tenantId, String key, int rate, int seconds, String from, String to) throws Exception {
        Map<String, Long> committed = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
        // This run's clicks and probes only: a reused dataset holds those of earlier runs too (their rows
        // would fill the poller's page and push this run's probes off it).
        String run = Long.toString(System.nanoTime(), 36);
        String live = "live-" + run;
        String ours = "p" + run + "-";
        String path = "/api/v1/reports?metrics=clicks&groupBy=sub2&filter.sub1=" + live + "&pageSize=1000&from=" + from + "&to=" + to;
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get() || seen.size() < committed.size()) {
                long t0 = System.nanoTime();
                Response r = send("GET", path, key, null);
                long at = System.nanoTime();
                if (r.status() == 200) {
                    for (JsonNode row : r.json().get("rows")) {
                        if (!row.get(0).isNull() && row.get(0).asText().startsWith(ours)) {
                            seen.putIfAbsent(row.get(0).asText(), at);
                        }
                    }
                }
                if (!polling.get() && at - t0 > 0 && committed.values().stream().allMatch(c -> at - c > 30_000_000_000L)) {
                    return;
                }
                try {
                    Thread.sleep(Math.max(0, 50 - (at - t0) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "freshness-poller");
        poller.start();
        SplittableRandom random = new SplittableRandom(11);
        int perBatch = Math.max(1, rate / 20);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long next = System.nanoTime();
        int probe = 0;
        while (System.nanoTime() < end) {
            List<DomainEventMessage<?>> batch = new ArrayList<>(perBatch);
            String probeValue = "p" + run + "-" + probe++;
            for (int i = 0; i < perBatch; i++) {
                Map<String, String> subs = i == 0 ? Map.of("sub1", live, "sub2", probeValue) : Map.of("sub1", live);
                batch.add(click(tenantId, "fc" + run + probe + "_" + i, Instant.now(), random, subs));
            }
            eventStore.publish(batch);
            committed.put(probeValue, System.nanoTime());
            next += 50_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        actualRate = (long) probe * perBatch / seconds;
        polling.set(false);
        poller.join(40_000);
        List<Long> delays = new ArrayList<>();
        committed.forEach((probeValue, at) -> {
            Long visible = seen.get(probeValue);
            delays.add(visible == null ? 30_000L : Math.max(0, (visible - at) / 1_000_000));
        });
        return delays;
    }

    private long actualRate;
    private String appendCpu = "append cost not measured (reused dataset)";

    /**
     * Where an appending storage engine's time goes by step, when it measures that (the audit chain's engine
     * has {@code costPerEvent()}); looked up by name so that this bench also runs on commits without it.
     */
    private String appendSteps() {
        try {
            java.lang.reflect.Method storageEngine = null;
            for (Class<?> c = eventStore.getClass(); c != null && storageEngine == null; c = c.getSuperclass()) {
                storageEngine = Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals("storageEngine")
                        && m.getParameterCount() == 0).findFirst().orElse(null);
            }
            if (storageEngine == null) {
                return "; no append steps (no storage engine)";
            }
            storageEngine.setAccessible(true);
            Object engine = storageEngine.invoke(eventStore);
            return "; storage engine " + engine.getClass().getSimpleName() + " "
                    + engine.getClass().getMethod("costPerEvent").invoke(engine);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "; no append steps (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** What Elasticsearch spent on the report indices (wall time in its threads): indexing, refreshes, merges. */
    private String indexTimes() throws java.io.IOException {
        var stats = elasticsearch.indices().stats(r -> r.index(views.clicksAlias(), views.conversionsAlias(), views.rollupsAlias()))
                .all().primaries();
        return String.format("elasticsearch on the new indices: indexing %dms, refresh %dms (%d), merges %dms",
                stats.indexing().indexTimeInMillis(), stats.refresh().totalTimeInMillis(), stats.refresh().total(),
                stats.merges().totalTimeInMillis());
    }

    /**
     * CPU used so far by this JVM, by Elasticsearch and by each PostgreSQL backend of this database (read
     * from /proc; a backend that exits in between is missed): steadier than wall time on a shared
     * machine. Elasticsearch is shared with other work on the machine, so its figure is an upper bound.
     */
    private record Cpu(long jvmMs, long jitMs, long gcMs, Map<Long, Long> es, Map<Long, Long> pg) {
        static Cpu now() {
            long[] jitGc = jitAndGcMs();
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() / 1_000_000;
            // PostgreSQL: the backends serving this database (the server is shared with other work).
            String url = System.getenv().getOrDefault("AFFNET_DB_URL", "");
            String db = " " + url.substring(url.lastIndexOf('/') + 1) + " ";
            return new Cpu(jvm, jitGc[0], jitGc[1], cpuOf(p -> p.info().commandLine().filter(c -> c.contains("org.elasticsearch.bootstrap")).isPresent()),
                    cpuOf(p -> title(p).startsWith("postgres:") && title(p).contains(db)));
        }

        /**
         * Microseconds per event since {@code before}: platform (of which its JIT compiler threads and its
         * garbage collector's threads), Elasticsearch, PostgreSQL.
         */
        String perEvent(Cpu before, long events) {
            return String.format("cpu per event: platform %.0fus (jit %.0fus, gc %.0fus), elasticsearch %.0fus, postgres %.0fus",
                    (jvmMs - before.jvmMs) * 1000.0 / events, (jitMs - before.jitMs) * 1000.0 / events,
                    (gcMs - before.gcMs) * 1000.0 / events, since(es, before.es) * 1000.0 / events,
                    since(pg, before.pg) * 1000.0 / events);
        }

        /**
         * CPU milliseconds of this JVM's JIT compiler threads and of its garbage collector's threads (by their
         * names in /proc/self/task; a compiler thread that has exited takes its time with it, so the JIT figure
         * is at least what it shows).
         */
        private static long[] jitAndGcMs() {
            long[] ticks = new long[2];
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                tasks.forEach(task -> {
                    try {
                        String comm = Files.readString(task.resolve("comm")).trim();
                        int kind = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? 0
                                : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? 1 : -1;
                        if (kind >= 0) {
                            String stat = Files.readString(task.resolve("stat"));
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks[kind] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                });
            } catch (java.io.IOException e) {
                return new long[] {0, 0};
            }
            // USER_HZ is 100 on Linux
            return new long[] {ticks[0] * 10, ticks[1] * 10};
        }

        private static long since(Map<Long, Long> now, Map<Long, Long> before) {
            return now.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
        }

        /** The process title (a PostgreSQL backend rewrites it to show its database). */
        private static String title(ProcessHandle p) {
            try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
            } catch (java.io.IOException | RuntimeException e) {
                return "";
            }
        }

        private static Map<Long, Long> cpuOf(java.util.function.Predicate<ProcessHandle> process) {
            Map<Long, Long> cpu = new java.util.HashMap<>();
            ProcessHandle.allProcesses().filter(process)
                    .forEach(p -> cpu.put(p.pid(), p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)));
            return cpu;
        }

        static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).substring(0, 14).trim();
            } catch (java.io.IOException e) {
                return "?";
            }
        }
    }

    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private long head() {
        return eventStore.createHeadToken().position().orElse(-1);
    }

    private boolean caughtUp(StreamingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        return !status.isEmpty() && status.size() == tokenStore.fetchSegments(processor.getName()).length && status.values().stream()
                .allMatch(s -> s.isCaughtUp() && s.getCurrentPosition().orElse(-1) >= head);
    }

    private static DomainEventMessage<?> click(String tenantId, String clickId, Instant at, SplittableRandom random,
                                               Map<String, String> subs) {
        int offer = random.nextInt(10);
        OfferTerms terms = new OfferTerms("Offer " + offer, "adv" + (offer % 3), "https://shop.example/", "EUR",
                OfferStatus.ACTIVE, List.of(), OfferTerms.DEFAULT_WINDOW_SECONDS, null, Set.of(), Set.of(), null);
        ClickRecordedEvent event = new ClickRecordedEvent(TenantId.of(tenantId), clickId, "link" + offer, "code" + offer,
                "aff" + random.nextInt(50), 1, "offer" + offer, 1, terms, List.of(), subs, at, "bench", null,
                random.nextBoolean() ? "desktop" : "phone", random.nextBoolean() ? "DE" : "FR",
                "ip" + random.nextInt(200_000), "10.0.0", ClickOutcome.OFFER, null, null, random.nextInt(4) != 0);
        return new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 0, event);
    }

    /** A conversion of {@code click}: like the real ones, it carries the click's offer, advertiser and affiliate. */
    private static DomainEventMessage<?> conversion(ClickRecordedEvent click) {
        String clickId = click.clickId();
        ConversionRecordedEvent event = new ConversionRecordedEvent(click.tenantId(), "cv" + clickId, clickId,
                click.offerId(), click.affiliateId(), click.terms().advertiserId(), "lead", "tx" + clickId,
                ConversionStatus.APPROVED, new Money(300, "EUR"), new Money(200, "EUR"), null, null, null, click.clickedAt(),
                click.clickedAt().plusSeconds(60), "s2s", null);
        return new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 1, event);
    }
}
