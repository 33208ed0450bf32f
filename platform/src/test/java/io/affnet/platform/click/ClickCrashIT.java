package io.affnet.platform.click;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.platform.AffnetApplication;
import io.affnet.platform.support.PlatformIT;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 302 is a promise that the click exists. This test runs the platform as a separate JVM (same
 * classpath, profile {@code it}), drives clicks into it from several client threads, SIGKILLs it in
 * the middle of the load (no shutdown hook, no graceful drain), starts it again and checks that every
 * click that was answered with a redirect is in the event store.
 */
class ClickCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private static final int CLIENTS = 8;
    private static final int SIGKILL_EXIT_CODE = 128 + 9;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Process> started = new ArrayList<>();
    private Path logDir;

    @AfterEach
    void killPlatforms() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void everyAnsweredClickSurvivesSigkill() throws Exception {
        int port = freePort();
        Process first = startPlatform(port, "first");
        awaitHealthy(first, port);
        String tenantId = registerTenant(port);
        String code = seedLink(tenantId);

        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        HttpResponse<Void> r = click(port, code, "c" + client + "-" + i);
                        if (r.statusCode() == 302) {
                            answered.add(clickId(r));
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet(); // the platform is gone: expected after the kill
                        sleepQuietly(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        // Mid-load: enough clicks answered, clients still sending.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered.size() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int answeredBeforeKill = answered.size();
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("platform gone after SIGKILL").isTrue();
        Thread.sleep(300);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

        assertThat(first.exitValue()).as("exit code of a JVM killed by SIGKILL (128 + 9)").isEqualTo(SIGKILL_EXIT_CODE);
        assertThat(answeredBeforeKill).as("clicks answered before the kill").isGreaterThanOrEqualTo(100);
        assertThat(failures.get()).as("requests that failed once the platform was killed").isPositive();

        Process second = startPlatform(port, "restarted");
        awaitHealthy(second, port);

        Set<String> missing = new HashSet<>(answered);
        missing.removeAll(storedClicks(answered));
        assertThat(missing).as("answered with 302 (of %d) but not in the event store", answered.size()).isEmpty();

        System.out.printf("ClickCrashIT: %d clicks answered (%d when SIGKILL was sent), %d requests failed after it, all in the event store%n",
                answered.size(), answeredBeforeKill, failures.get());

        HttpResponse<Void> after = click(port, code, "after-restart");
        assertThat(after.statusCode()).as("the restarted platform serves the link").isEqualTo(302);
        String afterId = clickId(after);
        assertThat(storedClicks(Set.of(afterId))).containsExactly(afterId);
    }

    // ------------------------------------------------------------------ the platform process

    private Process startPlatform(int port, String name) throws IOException {
        if (logDir == null) {
            logDir = Files.createDirectories(Path.of("target", "click-crash"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xms256m", "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), AffnetApplication.class.getName(),
                "--spring.profiles.active=it", "--server.port=" + port);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".log").toFile());
        builder.environment().put("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        builder.environment().put("AFFNET_ES_INDEX_PREFIX", "affnet-test-");
        builder.environment().putIfAbsent("AFFNET_DB_URL", dbUrl());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private void awaitHealthy(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("platform process alive (log: %s)", logDir.toAbsolutePath()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("platform not healthy on :" + port + " within 120 s (log: " + logDir.toAbsolutePath() + ")");
    }

    /** Health may answer a moment before start-up has finished: retried for a while. */
    private String registerTenant(int port) throws Exception {
        String slug = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"slug\":\"" + slug + "\",\"name\":\"Crash " + slug + "\",\"timezone\":\"UTC\",\"currency\":\"EUR\"}";
        HttpResponse<String> r = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tenants"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + PlatformIT.OPERATOR_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) {
                JsonNode json = JSON.readTree(r.body());
                return json.get("tenantId").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("tenant registration failed: " + r.statusCode() + " " + r.body());
    }

    // ------------------------------------------------------------------ stores

    /** Writes an offer, an affiliate and a plain link into the lookup cache, as the projection would. */
    private String seedLink(String tenantId) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String offerId = "off_" + suffix;
        String affiliateId = "aff_" + suffix;
        String code = "K" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        OfferTerms terms = new OfferTerms("Offer", "adv1", "https://adv.example/land?cid={click_id}&s1={sub1}", "EUR",
                OfferStatus.ACTIVE, List.of(new Goal("sale", Amount.percentBasisPoints(1000), Amount.fixed(250))),
                7 * 24 * 3600, Caps.none(), Set.of(), Set.of(), null);
        RedisClient client = RedisClient.create("redis://" + env("AFFNET_REDIS_HOST", "127.0.0.1") + ":"
                + env("AFFNET_REDIS_PORT", "6379"));
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (redis.sync().exists(ConfigCacheKeys.tenant(tenantId)) == 0) {
                assertThat(System.nanoTime()).as("tenant %s in the lookup cache", tenantId).isLessThan(deadline);
                Thread.sleep(50);
            }
            Map<String, Object> values = Map.of(
                    ConfigCacheKeys.offer(tenantId, offerId), new CachedOffer(tenantId, offerId, 1, terms),
                    ConfigCacheKeys.affiliate(tenantId, affiliateId), new CachedAffiliate(tenantId, affiliateId, 1,
                            new AffiliateProfile("Aff", "a@example.com", AffiliateStatus.ACTIVE, List.of())),
                    ConfigCacheKeys.link(code), new CachedLink(tenantId, "lnk_" + suffix, code, 1,
                            new LinkSettings(affiliateId, List.of(offerId), null, Map.of(), LinkStatus.ACTIVE)));
            for (Map.Entry<String, Object> e : values.entrySet()) {
                redis.sync().set(e.getKey(), JSON.writeValueAsString(e.getValue()));
                redis.sync().publish(ConfigCacheKeys.CHANNEL, e.getKey());
            }
        } finally {
            client.shutdown();
        }
        return code;
    }

    private Set<String> storedClicks(Set<String> ids) throws Exception {
        Set<String> stored = new HashSet<>();
        try (Connection db = DriverManager.getConnection(dbUrl(), env("AFFNET_DB_USER", "postgres"), env("AFFNET_DB_PASSWORD", ""));
             PreparedStatement q = db.prepareStatement(
                     "SELECT aggregateidentifier FROM domainevententry WHERE type = 'Click' AND aggregateidentifier = ANY (?)")) {
            Array array = db.createArrayOf("varchar", ids.toArray());
            q.setArray(1, array);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<Void> click(int port, String code, String sub1) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/c/" + code + "?sub1=" + sub1 + "&source=crash"))
                .timeout(Duration.ofSeconds(10)).header("User-Agent", USER_AGENT).GET().build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String clickId(HttpResponse<?> r) {
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    private static String dbUrl() {
        return env("AFFNET_DB_URL", "jdbc:postgresql://127.0.0.1:5432/affnet_test");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
