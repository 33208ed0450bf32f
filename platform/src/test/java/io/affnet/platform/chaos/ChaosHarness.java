package io.affnet.platform.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.fakes.Faults;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.platform.support.ChildPlatform;
import io.affnet.platform.support.PostbackReceiver;
import io.affnet.platform.support.TcpProxy;
import io.affnet.platform.support.Traffic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The fault harness of issue 17 ({@code ./affnet chaos}, {@code ChaosIT}): platform nodes as child JVMs on
 * a database and index prefix of their own, each store behind a TCP relay ({@link TcpProxy}) the harness
 * blackholes, cuts or resumes, mixed load (clicks; postbacks for acknowledged clicks with repeats), faults
 * one scenario at a time, then convergence and the checks against what the load generator was told:
 * every 302's click is stored, every {@code accepted} postback's conversion is stored, no (click,
 * transaction) is converted twice, and the report view counts what the store holds. The affiliate's
 * outbound postback goes to a local {@link PostbackReceiver}: every accepted conversion must arrive, none
 * under two delivery ids ({@code double_deliveries}). The tenant pays through the Stripe fake: the
 * {@code kill} and {@code two-nodes} scenarios approve a payout run just before the node dies, and each
 * payout must end terminal with one transfer at most, PAID ones with exactly one ({@code double_payouts}).
 * <p>
 * Scenarios: {@code redis} (Redis blackholed, then cut), {@code kill} (SIGKILL a node under load and
 * restart it), {@code elasticsearch} (Elasticsearch cut), {@code postgres} (PostgreSQL paused: bytes
 * held, connections open), {@code two-nodes} (a second node joins, load spread over both, one killed).
 */
public final class ChaosHarness implements AutoCloseable {

    public static final List<String> SCENARIOS = List.of("redis", "kill", "elasticsearch", "postgres", "two-nodes");
    /** Run only when named: the slow stores (200 ms added to every answer for 30 s) and a 120 s Redis outage. */
    public static final List<String> EXTRA_SCENARIOS = List.of("slow-postgres", "slow-redis", "redis-120");
    private static final Duration SLOW = Duration.ofMillis(200);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;

    /** How long a fault lasts, per scenario. */
    public record Settings(long faultSeconds, long redisSeconds, long loadBetweenSeconds, long convergeSeconds) {
        public static Settings full(double minutes) {
            long fault = Math.max(15, Math.round(minutes * 60 / 10));
            return new Settings(Math.min(60, fault), 30, 10, 120);
        }

        public static Settings brief() {
            return new Settings(6, 8, 3, 60);
        }
    }

    /** What one scenario showed. */
    public record ScenarioResult(String name, int clicks, int clickErrors, int unreachable, int server500, long p99BeforeMs,
                                 long p99ClickMs, long maxClickMs, double recoverySeconds, String note) {
        @Override
        public String toString() {
            return "scenario=" + name + " clicks=" + clicks + " click_errors=" + clickErrors + " unreachable=" + unreachable
                    + " http_500=" + server500
                    + " p99_before_ms=" + p99BeforeMs + " p99_click_ms=" + p99ClickMs + " max_click_ms=" + maxClickMs
                    + " recovery_s=" + String.format("%.1f", recoverySeconds) + (note.isEmpty() ? "" : " " + note);
        }
    }

    /** The whole run's figures. */
    public record Result(List<ScenarioResult> scenarios, int ackedClicks, int acceptedPostbacks, int ackedLost,
                         int duplicateConversions, int server500, boolean viewsConverged, double maxRecoverySeconds,
                         Outbound outbound, Payouts payouts) {
        public String lastLine() {
            return "scenarios=" + scenarios.size() + " acked_lost=" + ackedLost + " duplicate_conversions=" + duplicateConversions
                    + " double_deliveries=" + (outbound == null ? "n/a" : outbound.doubleDeliveries())
                    + " double_payouts=" + (payouts == null || payouts.payouts() == 0 ? "n/a" : payouts.doublePayouts())
                    + " views_converged=" + viewsConverged
                    + " max_recovery_s=" + Math.round(Math.ceil(maxRecoverySeconds));
        }
    }

    /**
     * Outbound postbacks at the local receiver: {@code doubleDeliveries} counts a conversion received (2xx) under
     * more than one delivery id (the receiver's dedupe by {@code Affnet-Delivery-Id} cannot catch it);
     * {@code missing} an accepted conversion never received; {@code resentSameId} a delivery sent again with
     * its id after a lost answer (at-least-once, deduplicated: not a double delivery).
     */
    public record Outbound(int received, int doubleDeliveries, int missing, int resentSameId) {
    }

    /**
     * Payout runs through the Stripe fake: {@code doublePayouts} counts transfers beyond one per payout (and
     * transfers of no payout); {@code unpaid} a payout the platform says PAID with no transfer; {@code stuck}
     * one not terminal when the run ended.
     */
    public record Payouts(int runs, int payouts, int paid, int doublePayouts, int unpaid, int stuck) {
    }

    private final Settings settings;
    private final Consumer<String> out;
    private final String prefix = "chaos-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final TcpProxy postgres;
    private final TcpProxy redis;
    private final TcpProxy elasticsearch;
    private final ChildPlatform nodeA;
    private final ChildPlatform nodeB;
    private Process processA;
    private Process processB;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private ChildPlatform.Network network;
    /** Every click the platform answered 302, and every (click, transaction) it answered {@code accepted}. */
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<String> ackedList = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger server500 = new AtomicInteger();
    /** Outbound postbacks go here; payouts to the Stripe fake (scenarios kill and two-nodes start a run each). */
    private final PostbackReceiver receiver;
    private final FakeStripe stripe;
    private static final String STRIPE_KEY = "sk_test_chaos_0123456789";
    private static final String STRIPE_ACCOUNT = "acct_chaos";
    private final List<String> runs = Collections.synchronizedList(new ArrayList<>());

    public ChaosHarness(Settings settings, Consumer<String> out) throws Exception {
        this.settings = settings;
        this.out = out;
        String db = ChildPlatform.dbUrl();
        postgres = new TcpProxy(URI.create(db.substring("jdbc:".length())).getPort());
        redis = new TcpProxy(6379);
        elasticsearch = new TcpProxy(URI.create(ChildPlatform.env("AFFNET_ES_URL", "http://127.0.0.1:9200")).getPort());
        nodeA = new ChildPlatform("chaos").withOwnDatabase().databaseThroughPort(postgres.port());
        nodeB = new ChildPlatform("chaos").sharingDatabaseOf(nodeA).databaseThroughPort(postgres.port());
        receiver = new PostbackReceiver();
        stripe = new FakeStripe(STRIPE_KEY, Faults.none()).balance("eur", 1_000_000_000L).connectedAccount(STRIPE_ACCOUNT);
    }

    /** The affiliate's postback goes to the receiver; the tenant pays through the Stripe fake after a 1 s hold. */
    private void setUpOutboundAndPayouts(ChildPlatform node) throws Exception {
        HttpResponse<String> configured = node.send("PUT", "/api/v1/affiliates/" + network.affiliate() + "/postback", network.key(),
                "{\"templates\":[{\"url\":\"" + receiver.base() + "/pb?c={click_id}&tx={transaction_id}\"}]}");
        require(configured, 201);
        require(node.send("PUT", "/api/v1/payout-terms", network.key(),
                "{\"defaultHold\":\"PT1S\",\"minimum\":{\"EUR\":\"0.01\"},\"negativeBalanceBlocks\":true}"), 200);
        require(node.send("PUT", "/api/v1/payout-processors/stripe", network.key(), "{\"apiBase\":\"" + stripe.baseUrl()
                + "\",\"key\":\"" + STRIPE_KEY + "\",\"webhookSecret\":\"whsec_chaos_0123456789abcdef\"}"), 200);
        HttpResponse<String> added = node.send("POST", "/api/v1/affiliates/" + network.affiliate() + "/payout-methods", network.key(),
                "{\"processor\":\"STRIPE\",\"destination\":\"" + STRIPE_ACCOUNT + "\",\"currency\":\"EUR\",\"country\":\"DE\"}");
        require(added, 202);
        String methodId = JSON.readTree(added.body()).get("methodId").asText();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (node.send("POST", "/api/v1/affiliates/" + network.affiliate() + "/payout-methods/" + methodId + "/confirm",
                network.key(), null).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("payout method not confirmable within 60 s");
            }
            sleep(300);
        }
    }

    private static void require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("set-up answered " + r.statusCode() + " (expected " + status + "): " + r.body());
        }
    }

    /**
     * Previews and approves a payout run of everything available now (answers false if nothing is), so its
     * saga runs through the fault that follows.
     */
    private boolean startPayoutRun(ChildPlatform node) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> preview = node.send("POST", "/api/v1/payout-runs", network.key(),
                    "{\"from\":\"2026-01-01\",\"to\":\"" + today.plusDays(1) + "\"}");
            if (preview.statusCode() == 201 && JSON.readTree(preview.body()).path("items").size() > 0) {
                String runId = JSON.readTree(preview.body()).get("runId").asText();
                while (System.nanoTime() < deadline) {
                    if (node.send("POST", "/api/v1/payout-runs/" + runId + "/approve", network.key(), null).statusCode() == 200) {
                        runs.add(runId);
                        out.accept("payout run " + runId + " approved");
                        return true;
                    }
                    sleep(200);
                }
            }
            sleep(500);
        }
        out.accept("no payout run: nothing available to pay within 20 s");
        return false;
    }

    private String[] nodeArgs() {
        return new String[]{"--spring.data.redis.port=" + redis.port(),
                "--spring.elasticsearch.uris=http://127.0.0.1:" + elasticsearch.port(),
                "--affnet.search.index-prefix=" + prefix,
                // Configuration entries expire during a Redis outage: what is served then is the stale copy.
                "--affnet.click.cache-ttl-ms=5000",
                "--logging.level.root=WARN"};
    }

    public Result run(List<String> scenarios) throws Exception {
        long t0 = System.nanoTime();
        processA = nodeA.start("node-a", nodeArgs());
        out.accept("node A up in " + seconds(t0) + " s on " + nodeA.base());
        network = nodeA.setUpNetwork("chaos");
        setUpOutboundAndPayouts(nodeA);
        List<ScenarioResult> results = new ArrayList<>();
        for (String scenario : scenarios) {
            results.add(scenario(scenario));
            out.accept(results.get(results.size() - 1).toString());
        }
        boolean converged = awaitConverged(settings.convergeSeconds());
        int[] checks = check();
        Outbound outbound = outbound();
        Payouts payouts = payouts();
        double maxRecovery = results.stream().mapToDouble(ScenarioResult::recoverySeconds).max().orElse(0);
        Result result = new Result(results, acked.size(), accepted.size(), checks[0], checks[1], server500.get(), converged, maxRecovery,
                outbound, payouts);
        out.accept("acked_clicks=" + acked.size() + " accepted_postbacks=" + accepted.size() + " http_500=" + server500.get()
                + " " + outbound + " " + payouts);
        return result;
    }

    private ScenarioResult scenario(String name) throws Exception {
        return switch (name) {
            case "redis" -> faulted(name, settings.redisSeconds(), () -> {
                redis.freeze();
                sleep(settings.redisSeconds() * 500);
                redis.thaw();
                redis.pause();
                sleep(settings.redisSeconds() * 500);
            }, () -> {
                redis.resume();
            }, "degraded=unique_flags_null,caps_from_last_counters,rate_limits_per_node,learning_state_frozen");
            case "redis-120" -> faulted(name, 120, () -> {
                redis.freeze();
                sleep(60_000);
                redis.thaw();
                redis.pause();
                sleep(60_000);
            }, () -> {
                redis.resume();
            }, "degraded=unique_flags_null,caps_from_last_counters,rate_limits_per_node,learning_state_frozen");
            case "slow-postgres" -> faulted(name, 30, () -> {
                postgres.delay(SLOW);
                sleep(30_000);
            }, () -> postgres.delay(Duration.ZERO), "added_latency_ms=" + SLOW.toMillis());
            case "slow-redis" -> faulted(name, 30, () -> {
                redis.delay(SLOW);
                sleep(30_000);
            }, () -> redis.delay(Duration.ZERO), "added_latency_ms=" + SLOW.toMillis());
            case "elasticsearch" -> faulted(name, settings.faultSeconds(), () -> {
                elasticsearch.pause();
                sleep(settings.faultSeconds() * 1000);
            }, elasticsearch::resume, "");
            case "postgres" -> faulted(name, settings.faultSeconds(), () -> {
                postgres.freeze();
                sleep(settings.faultSeconds() * 1000);
            }, postgres::thaw, "");
            case "kill" -> faulted(name, 0, () -> {
                startPayoutRun(nodeA);
                nodeA.kill(processA, false);
                long start = System.nanoTime();
                processA = nodeA.start("node-a-restart", nodeArgs());
                out.accept("node A restarted in " + seconds(start) + " s");
            }, () -> {
            }, "");
            case "two-nodes" -> twoNodes();
            default -> throw new IllegalArgumentException("unknown scenario " + name + "; known: " + SCENARIOS + " " + EXTRA_SCENARIOS);
        };
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Load before, during and after the fault; recovery = from the fault's end until clicks redirect and the views converge. */
    private ScenarioResult faulted(String name, long faultSeconds, Step fault, Step heal, String note) throws Exception {
        Load load = new Load(List.of(nodeA));
        load.start();
        sleep(settings.loadBetweenSeconds() * 1000);
        load.phase("fault");
        fault.run();
        heal.run();
        long healedAt = System.nanoTime();
        load.phase("after");
        sleep(settings.loadBetweenSeconds() * 1000);
        load.stop();
        awaitClicksRedirect(nodeA);
        boolean converged = awaitConverged(settings.convergeSeconds());
        double recovery = (System.nanoTime() - healedAt) / 1e9;
        if (name.equals("kill")) {
            recovery = Math.max(0, recovery - settings.loadBetweenSeconds());
        } else {
            recovery = Math.max(0, recovery - settings.loadBetweenSeconds());
        }
        return load.result(name, converged ? recovery : Double.POSITIVE_INFINITY,
                note + (converged ? "" : " views_not_converged") + " fault_s=" + faultSeconds);
    }

    /** A second node joins: segments spread; load over both; the first is killed; the survivor takes over. */
    private ScenarioResult twoNodes() throws Exception {
        long start = System.nanoTime();
        processB = nodeB.start("node-b", nodeArgs());
        out.accept("node B up in " + seconds(start) + " s");
        Load load = new Load(List.of(nodeA, nodeB));
        load.start();
        sleep(Math.max(10, settings.loadBetweenSeconds()) * 1000);
        Map<String, Integer> owners = segmentOwners();
        out.accept("segment claims by owner with two nodes: " + owners.values());
        load.phase("fault");
        startPayoutRun(nodeA);
        nodeA.kill(processA, false);
        long killedAt = System.nanoTime();
        load.only(List.of(nodeB));
        sleep(settings.loadBetweenSeconds() * 1000);
        load.stop();
        boolean converged = awaitConverged(settings.convergeSeconds());
        double recovery = Math.max(0, (System.nanoTime() - killedAt) / 1e9 - settings.loadBetweenSeconds());
        processA = nodeA.start("node-a-after-two-nodes", nodeArgs());
        return load.result("two-nodes", converged ? recovery : Double.POSITIVE_INFINITY,
                "claims_by_owner=" + owners.values().toString().replace(" ", ""));
    }

    private Map<String, Integer> segmentOwners() throws Exception {
        Map<String, Integer> owners = new LinkedHashMap<>();
        try (Connection c = nodeA.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT owner, count(*) FROM tokenentry WHERE owner IS NOT NULL GROUP BY owner")) {
            while (rs.next()) {
                owners.put(rs.getString(1), rs.getInt(2));
            }
        }
        return owners;
    }

    /** Mixed load on the given nodes, with per-phase figures. */
    private final class Load {
        private volatile List<ChildPlatform> nodes;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final ConcurrentLinkedQueue<long[]> clicks = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<long[]> postbacks = new ConcurrentLinkedQueue<>();
        private volatile int phase;

        Load(List<ChildPlatform> nodes) {
            this.nodes = nodes;
        }

        void phase(String name) {
            phase = name.equals("fault") ? 1 : 2;
        }

        void only(List<ChildPlatform> survivors) {
            nodes = survivors;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                clients.execute(this::loop);
            }
        }

        private void loop() {
            Random random = ThreadLocalRandom.current();
            while (!stop.get()) {
                List<ChildPlatform> n = nodes;
                ChildPlatform node = n.get(random.nextInt(n.size()));
                try {
                    if (random.nextInt(10) < 3 && !ackedList.isEmpty()) {
                        postback(node, random);
                    } else {
                        click(node);
                    }
                } catch (IOException | InterruptedException e) {
                    // a node that is down: counted as an error of the phase
                    clicks.add(new long[]{phase, -1, 0});
                    sleep(200);
                }
            }
        }

        private void click(ChildPlatform node) throws IOException, InterruptedException {
            // A click belongs to the phase it started in (one held by a paused store ends after it).
            int startedIn = phase;
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/c/" + network.code()))
                    .timeout(Duration.ofSeconds(60)).header("User-Agent", Traffic.DESKTOP).GET().build(), HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            clicks.add(new long[]{startedIn, r.statusCode(), ms});
            if (r.statusCode() == 500) {
                server500.incrementAndGet();
            }
            if (r.statusCode() == 302) {
                String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
                String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
                if (acked.add(id)) {
                    ackedList.add(id);
                }
            }
        }

        /** A postback for an acknowledged click: one transaction per click, sent again now and then. */
        private void postback(ChildPlatform node, Random random) throws IOException, InterruptedException {
            String clickId = ackedList.get(random.nextInt(ackedList.size()));
            String txn = "T" + clickId.substring(0, Math.min(12, clickId.length()));
            int startedIn = phase;
            long start = System.nanoTime();
            HttpResponse<String> r = node.postback(network.token(), clickId, txn);
            postbacks.add(new long[]{startedIn, r.statusCode(), (System.nanoTime() - start) / 1_000_000});
            if (r.statusCode() == 500) {
                server500.incrementAndGet();
            }
            if (r.statusCode() == 200 && r.body().equals("accepted")) {
                accepted.add(clickId + "|" + txn);
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            clients.shutdown();
            clients.awaitTermination(120, TimeUnit.SECONDS);
        }

        ScenarioResult result(String name, double recovery, String note) {
            List<Long> during = new ArrayList<>();
            List<Long> before = new ArrayList<>();
            int count = 0;
            int errors = 0;
            int unreachable = 0;
            int fivehundreds = 0;
            for (long[] c : clicks) {
                if (c[0] == 0 && c[1] == 302) {
                    before.add(c[2]);
                }
                if (c[0] != 1) {
                    continue;
                }
                if (c[1] == -1) {
                    unreachable++;
                    continue;
                }
                count++;
                if (c[1] != 302) {
                    errors++;
                }
                if (c[1] == 500) {
                    fivehundreds++;
                }
                if (c[1] == 302) {
                    during.add(c[2]);
                }
            }
            Collections.sort(during);
            long max = during.isEmpty() ? 0 : during.get(during.size() - 1);
            int pb = 0;
            int pb503 = 0;
            List<Long> pbMillis = new ArrayList<>();
            for (long[] p : postbacks) {
                if (p[0] == 1) {
                    pb++;
                    pb503 += p[1] == 503 ? 1 : 0;
                    pbMillis.add(p[2]);
                }
            }
            String postbackFigures = " postbacks=" + pb + " postback_503=" + pb503 + " p99_postback_ms=" + p99(pbMillis);
            return new ScenarioResult(name, count, errors, unreachable, fivehundreds, p99(before), p99(during), max, recovery,
                    (postbackFigures + " " + note).trim());
        }
    }

    private static long p99(List<Long> millis) {
        if (millis.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    private void awaitClicksRedirect(ChildPlatform node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.convergeSeconds());
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.base() + "/c/" + network.code()))
                        .timeout(Duration.ofSeconds(10)).header("User-Agent", Traffic.DESKTOP).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 302) {
                    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
                    String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
                    if (acked.add(id)) {
                        ackedList.add(id);
                    }
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            sleep(200);
        }
    }

    /** The report view's clicks and conversions equal the store's, on a live node. */
    private boolean awaitConverged(long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[] last = null;
        String failure = "";
        while (System.nanoTime() < deadline) {
            try {
                long[] store = storeCounts();
                long[] view = viewCounts();
                last = new long[]{store[0], view[0], store[1], view[1]};
                if (store[0] == view[0] && store[1] == view[1]) {
                    return true;
                }
            } catch (IOException | java.sql.SQLException | RuntimeException e) {
                // a node or the view is not back yet
                failure = e.toString();
            }
            sleep(500);
        }
        out.accept("views not converged: store/view clicks and conversions " + java.util.Arrays.toString(last) + " " + failure);
        return false;
    }

    private long[] storeCounts() throws java.sql.SQLException {
        try (Connection c = nodeA.connection(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE payloadtype = 'io.affnet.api.click.ClickRecordedEvent'),"
                        + " count(*) FILTER (WHERE payloadtype = 'io.affnet.api.conversion.ConversionRecordedEvent')"
                        + " FROM domainevententry WHERE type = 'Click'")) {
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private long[] viewCounts() throws IOException, InterruptedException {
        ChildPlatform node = processA != null && processA.isAlive() ? nodeA : nodeB;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        HttpResponse<String> r = node.send("GET", "/api/v1/reports?metrics=clicks,conversions&from=" + today.minusDays(1)
                + "&to=" + today.plusDays(2), network.key(), null);
        if (r.statusCode() != 200) {
            throw new IOException("report answered " + r.statusCode());
        }
        JsonNode table = JSON.readTree(r.body());
        List<String> columns = new ArrayList<>();
        table.get("columns").forEach(col -> columns.add(col.asText()));
        if (table.get("rows").isEmpty()) {
            return new long[]{0, 0};
        }
        JsonNode row = table.get("rows").get(0);
        return new long[]{row.get(columns.indexOf("clicks")).asLong(), row.get(columns.indexOf("conversions")).asLong()};
    }

    /** {acked_lost, duplicate_conversions}, against what the load generator was told. */
    private int[] check() throws Exception {
        int lost = 0;
        int duplicates = 0;
        try (Connection c = nodeA.connection()) {
            List<String> ids = new ArrayList<>(acked);
            Set<String> stored = ConcurrentHashMap.newKeySet();
            try (PreparedStatement st = c.prepareStatement("SELECT aggregateidentifier FROM domainevententry"
                    + " WHERE aggregateidentifier = ANY (?) AND sequencenumber = 0")) {
                st.setArray(1, c.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                if (!stored.contains(id)) {
                    lost++;
                    out.accept("lost click " + id);
                }
            }
            Map<String, Integer> conversions = new LinkedHashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT aggregateidentifier, convert_from(payload, 'UTF8') FROM domainevententry"
                    + " WHERE payloadtype = 'io.affnet.api.conversion.ConversionRecordedEvent'");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    JsonNode payload = JSON.readTree(rs.getString(2));
                    String txn = payload.path("transactionId").asText(payload.path("txnId").asText(""));
                    conversions.merge(rs.getString(1) + "|" + txn, 1, Integer::sum);
                }
            }
            for (Map.Entry<String, Integer> e : conversions.entrySet()) {
                if (e.getValue() > 1) {
                    duplicates += e.getValue() - 1;
                    out.accept("converted twice: " + e.getKey());
                }
            }
            for (String a : accepted) {
                if (!conversions.containsKey(a)) {
                    lost++;
                    out.accept("lost accepted postback " + a);
                }
            }
        }
        return new int[]{lost, duplicates};
    }

    /** Waits (up to the convergence time) until every accepted conversion reached the receiver, then counts. */
    private Outbound outbound() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.convergeSeconds());
        Set<String> missing = new java.util.HashSet<>();
        while (true) {
            Set<String> received = new java.util.HashSet<>();
            receiver.effective.forEach(r -> received.add(deliveryKey(r.url())));
            missing.clear();
            for (String a : accepted) {
                String[] clickTxn = a.split("\\|");
                if (!received.contains(clickTxn[0] + "|" + clickTxn[1])) {
                    missing.add(a);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            sleep(500);
        }
        Map<String, Set<String>> idsPerConversion = new java.util.HashMap<>();
        int resent = 0;
        for (PostbackReceiver.Received r : receiver.requests) {
            if (r.duplicate()) {
                resent++;
            }
        }
        for (PostbackReceiver.Received r : receiver.effective) {
            idsPerConversion.computeIfAbsent(deliveryKey(r.url()), k -> new java.util.HashSet<>()).add(r.header("Affnet-Delivery-Id"));
        }
        int doubles = 0;
        for (Map.Entry<String, Set<String>> e : idsPerConversion.entrySet()) {
            if (e.getValue().size() > 1) {
                doubles += e.getValue().size() - 1;
                out.accept("delivered twice under different ids: " + e.getKey() + " " + e.getValue());
            }
        }
        missing.forEach(m -> out.accept("accepted conversion never delivered: " + m));
        return new Outbound(receiver.effective.size(), doubles, missing.size(), resent);
    }

    /** "click|txn" from the receiver's URL ({@code /pb?c=<click>&tx=<txn>}). */
    private static String deliveryKey(String url) {
        String click = "";
        String txn = "";
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith("c=")) {
                click = pair.substring(2);
            } else if (pair.startsWith("tx=")) {
                txn = pair.substring(3);
            }
        }
        return click + "|" + txn;
    }

    /** Waits (up to the convergence time) until every payout is terminal, then checks each against the fake's transfers. */
    private Payouts payouts() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.convergeSeconds());
        Map<String, String> states = new LinkedHashMap<>();
        while (true) {
            states.clear();
            try (Connection c = (processA != null && processA.isAlive() ? nodeA : nodeB).connection();
                 PreparedStatement st = c.prepareStatement("SELECT payout_id, state FROM payout WHERE tenant_id = ?")) {
                st.setString(1, network.tenantId());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            boolean terminal = states.values().stream().allMatch(s -> Set.of("PAID", "FAILED", "RETURNED", "REVERSED").contains(s));
            if ((terminal && states.size() >= runs.size()) || System.nanoTime() > deadline) {
                break;
            }
            sleep(500);
        }
        int doubles = 0;
        int unpaid = 0;
        int stuck = 0;
        int paid = 0;
        Set<String> groups = new java.util.HashSet<>();
        for (Map.Entry<String, String> e : states.entrySet()) {
            String group = io.affnet.sagas.payout.processor.PayoutKeys.stripeTransferGroup(network.tenantId(), e.getKey());
            groups.add(group);
            long transfers = stripe.transfersInGroup(group).stream().filter(t -> !t.reversed()).count();
            if (transfers > 1) {
                doubles += (int) transfers - 1;
                out.accept("payout " + e.getKey() + " transferred " + transfers + " times");
            }
            switch (e.getValue()) {
                case "PAID" -> {
                    paid++;
                    if (transfers == 0) {
                        unpaid++;
                        out.accept("payout " + e.getKey() + " PAID without a transfer");
                    }
                }
                case "FAILED", "RETURNED", "REVERSED" -> {
                }
                default -> {
                    stuck++;
                    out.accept("payout " + e.getKey() + " still " + e.getValue());
                }
            }
        }
        for (FakeStripe.Transfer t : stripe.transfers()) {
            if (!groups.contains(t.transferGroup()) && !t.reversed()) {
                doubles++;
                out.accept("transfer " + t.id() + " of no payout (group " + t.transferGroup() + ")");
            }
        }
        return new Payouts(runs.size(), states.size(), paid, doubles, unpaid, stuck);
    }

    private static long seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e9);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws Exception {
        receiver.close();
        stripe.close();
        redis.close();
        elasticsearch.close();
        postgres.close();
        nodeB.close();
        nodeA.close();
        deleteIndices();
    }

    /** The run's Elasticsearch indices (its own prefix): listed, then deleted one by one (wildcard deletes may be refused). */
    private void deleteIndices() {
        String es = ChildPlatform.env("AFFNET_ES_URL", "http://127.0.0.1:9200");
        try {
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(es + "/_cat/indices/" + prefix + "*?h=index"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String index : list.body().split("\\s+")) {
                if (index.startsWith(prefix)) {
                    http.send(HttpRequest.newBuilder(URI.create(es + "/" + index)).timeout(Duration.ofSeconds(10)).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                }
            }
        } catch (IOException | InterruptedException e) {
            out.accept("could not delete the run's indices " + prefix + "*: " + e);
        }
    }
}
