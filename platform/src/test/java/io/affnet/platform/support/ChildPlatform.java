package io.affnet.platform.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.AffnetApplication;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform as a separate JVM (the test's classpath, profile {@code it}, C1-only JIT for a fast
 * start) on a port of its own, for crash tests that SIGKILL it and start it again on the same port and
 * stores. Each start logs to {@code target/<folder>/<name>.log}; {@link #close()} stops what is left.
 */
public final class ChildPlatform implements AutoCloseable {

    /** Exit code of a JVM killed by SIGKILL (128 + 9). */
    public static final int SIGKILL_EXIT_CODE = 128 + 9;

    private static final ObjectMapper JSON = new ObjectMapper();

    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Path logDir;
    private final int port;
    private final List<Process> started = new ArrayList<>();
    /** The GC log of the last start ({@code <name>-gc.log} beside its log). */
    private volatile Path gcLog;
    private String ownDatabase;
    private String databaseUrl = dbUrl();
    /** The database URL the child is given when it differs from the default (own database, shared, through a relay). */
    private String childDatabaseUrl;

    public ChildPlatform(String logFolder) throws IOException {
        this.logDir = Files.createDirectories(Path.of("target", logFolder));
        this.port = LoopbackPorts.unused();
    }

    /**
     * Runs the child on a database of its own (created now, dropped by {@link #close()}), for tests in
     * which the test JVM's own platforms (cached Spring contexts of other tests, on the shared test
     * database) must not take part: background workers there would claim the child's work.
     */
    public ChildPlatform withOwnDatabase() throws SQLException {
        String name = "affnet_child_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = database(); java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        ownDatabase = name;
        databaseUrl = dbUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/" + name + "$1");
        childDatabaseUrl = databaseUrl;
        return this;
    }

    /** Runs the child on the database {@code owner} runs on (another node of the same deployment); the owner drops it. */
    public ChildPlatform sharingDatabaseOf(ChildPlatform owner) {
        databaseUrl = owner.databaseUrl;
        childDatabaseUrl = owner.databaseUrl;
        return this;
    }

    /** The child reaches its database through a relay on this local port (the test still connects directly). */
    public ChildPlatform databaseThroughPort(int relayPort) {
        childDatabaseUrl = databaseUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + relayPort + "/");
        return this;
    }

    public int port() {
        return port;
    }

    /** A connection to the database this child platform uses. */
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(databaseUrl, env("AFFNET_DB_USER", "postgres"), env("AFFNET_DB_PASSWORD", ""));
    }

    /** The child's maximum heap ({@code -Xmx}). */
    public static final int MAX_HEAP_MB = 768;

    /**
     * The GC log of the node last started ({@code -Xlog:gc}: one line per collection with the heap used
     * before and after it, {@code 210M->95M(758M)}): read by the fault harness, at no cost to the node.
     */
    public Path gcLog() {
        return gcLog;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the platform, with extra arguments ({@code --affnet.x=y}) if any, and waits until it answers healthy. */
    public Process start(String name, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path gc = logDir.resolve(name + "-gc.log").toAbsolutePath();
        Files.deleteIfExists(gc);
        List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx" + MAX_HEAP_MB + "m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xlog:gc:file=" + gc, "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), AffnetApplication.class.getName(),
                "--spring.profiles.active=it", "--server.port=" + port));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".log").toFile());
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        builder.environment().put("AFFNET_ES_INDEX_PREFIX", env("AFFNET_ES_INDEX_PREFIX", "affnet-test-"));
        if (childDatabaseUrl != null) {
            builder.environment().put("AFFNET_DB_URL", childDatabaseUrl);
        } else {
            builder.environment().putIfAbsent("AFFNET_DB_URL", dbUrl());
        }
        Process p = builder.start();
        started.add(p);
        gcLog = gc;
        awaitHealthy(p);
        return p;
    }

    /** SIGKILL: no shutdown hook, no graceful drain. Returns once the process is gone. */
    public void kill(Process p) throws InterruptedException {
        kill(p, true);
    }

    /** SIGKILL; {@code check} asserts the exit code (off outside JUnit, in the chaos harness). */
    public void kill(Process p, boolean check) throws InterruptedException {
        p.destroyForcibly();
        if (!check) {
            p.waitFor(30, TimeUnit.SECONDS);
            return;
        }
        killChecked(p);
    }

    private void killChecked(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("platform gone after SIGKILL").isTrue();
        assertThat(p.exitValue()).as("exit code of a JVM killed by SIGKILL (128 + 9)").isEqualTo(SIGKILL_EXIT_CODE);
    }

    /**
     * How long a child may take to start: 300 s, or {@code AFFNET_CHILD_START_SECONDS} on a machine so
     * loaded that a start takes longer (eight builds on two cores started the child in 117–129 s).
     */
    private static final long START_SECONDS = Long.parseLong(
            System.getenv().getOrDefault("AFFNET_CHILD_START_SECONDS", "300"));

    private void awaitHealthy(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("platform process alive (log: %s)", logDir.toAbsolutePath()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("platform not healthy on :" + port + " within " + START_SECONDS + " s (log: " + logDir.toAbsolutePath() + ")");
    }

    /** Registers a tenant with the operator key; returns {tenantId, adminKey}. Retried while start-up finishes. */
    public String[] registerTenant(String stem) throws Exception {
        String slug = stem + "-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"slug\":\"" + slug + "\",\"name\":\"Crash " + slug + "\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}";
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            r = send("POST", "/api/v1/tenants", PlatformIT.OPERATOR_KEY, body);
            if (r.statusCode() == 201) {
                JsonNode json = JSON.readTree(r.body());
                return new String[]{json.get("tenantId").asText(), json.get("adminKey").asText()};
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tenant registration failed: " + r.statusCode() + " " + r.body());
    }

    /** What {@link #setUpNetwork} made: a tenant with a postback token, an offer (goal {@code sale}), an affiliate and a link. */
    public record Network(String tenantId, String key, String token, String offer, String affiliate, String code) {
    }

    /**
     * Through the API: a tenant with a postback token and relaxed fraud rules (no minimum time to
     * convert, no per-click limit), an advertiser, an offer without caps (goal {@code sale}: 10 % revenue,
     * 7 % payout), an affiliate and a link; returns once the link redirects.
     */
    public Network setUpNetwork(String stem) throws Exception {
        String[] tenant = registerTenant(stem);
        String key = tenant[1];
        String token = field(send("POST", "/api/v1/postback-tokens", key, null), 201, "token");
        HttpResponse<String> settings = send("PUT", "/api/v1/postback-settings", key,
                "{\"fraud\":{\"minSecondsToConvert\":0,\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false}}");
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
        String advertiser = field(send("POST", "/api/v1/advertisers", key,
                "{\"name\":\"Shop\",\"defaultCurrency\":\"EUR\"}"), 201, "id");
        String offer = field(send("POST", "/api/v1/offers", key, """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}}],
                 "attributionWindowSeconds":86400,"caps":null}""".formatted(advertiser)), 201, "id");
        String affiliate = field(send("POST", "/api/v1/affiliates", key,
                "{\"name\":\"Aff\",\"email\":\"a@example.com\",\"status\":\"ACTIVE\",\"payoutOverrides\":[]}"), 201, "id");
        String code = field(send("POST", "/api/v1/links", key,
                "{\"affiliateId\":\"" + affiliate + "\",\"offerIds\":[\"" + offer + "\"],\"status\":\"ACTIVE\"}"), 201, "code");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (clickRequest(code).statusCode() != 302) {
            assertThat(System.nanoTime()).as("link %s served", code).isLessThan(deadline);
            Thread.sleep(100);
        }
        return new Network(tenant[0], key, token, offer, affiliate, code);
    }

    /** A click on the link; answers the click id from the cookie. */
    public String click(String code) throws IOException, InterruptedException {
        HttpResponse<String> r = clickRequest(code);
        assertThat(r.statusCode()).isEqualTo(302);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    private HttpResponse<String> clickRequest(String code) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/c/" + code))
                .timeout(Duration.ofSeconds(10)).header("User-Agent", Traffic.DESKTOP).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A postback for goal {@code sale}, amount 12.50. */
    public HttpResponse<String> postback(String token, String clickId, String txn) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/postback?click_id=" + clickId
                        + "&txn_id=" + txn + "&goal=sale&amount=12.50&token=" + token))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The field of a JSON answer, after checking its status. */
    public static String field(HttpResponse<String> r, int status, String name) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body()).get(name).asText();
    }

    /** An API call; {@code json} null sends no body. */
    public HttpResponse<String> send(String method, String path, String key, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A connection to the database the child platform uses. */
    public static Connection database() throws SQLException {
        return DriverManager.getConnection(dbUrl(), env("AFFNET_DB_USER", "postgres"), env("AFFNET_DB_PASSWORD", ""));
    }

    public static String dbUrl() {
        return env("AFFNET_DB_URL", "jdbc:postgresql://127.0.0.1:5432/affnet_test");
    }

    public static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Stops what is still running gracefully (SIGTERM), so it releases its event processors' token
     * claims: a killed one would keep them until they time out and stall the projections of the tests
     * that run next on the same database.
     */
    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
        if (ownDatabase != null) {
            try (Connection c = database(); java.sql.Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + ownDatabase + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop " + ownDatabase + ": " + e.getMessage());
            }
        }
    }
}
