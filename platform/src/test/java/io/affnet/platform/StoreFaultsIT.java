package io.affnet.platform;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.TcpProxy;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform keeps its promises while a store misbehaves (issue 17). Redis and PostgreSQL are reached
 * through relays the test blackholes, cuts or trips: a Redis outage longer than the configuration
 * cache's TTL leaves clicks redirecting at normal latency and postbacks accepted, and health says Redis
 * is down (fast); a stalled PostgreSQL gives the designed 503 with {@code Retry-After} after a bounded
 * wait, never a 500; a connection cut after COMMIT was sent does not answer "nothing was counted" for a
 * click that was stored; a slow PostgreSQL sheds postbacks with 503 instead of queueing them.
 */
// Its own context (other properties): it must not outlive the class, or its processors would compete
// with the shared context's.
@DirtiesContext
class StoreFaultsIT extends PlatformIT {

    private static final String DATABASE = System.getenv().getOrDefault("AFFNET_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/affnet_test");
    private static final TcpProxy POSTGRES;
    private static final TcpProxy REDIS;
    /**
     * Normal latency for a click here: nine in ten below it. (Before issue 17 a click on a capped offer
     * waited for Redis's 2 s timeout; one waiting on the breaker's bound would take 100-500 ms.)
     */
    private static final long NORMAL_CLICK_MS = 300;
    /** No click may take this long: a 2 s Redis timeout, or a stack of bounded waits, would show. */
    private static final long NO_CLICK_ABOVE_MS = 1_000;

    static {
        try {
            POSTGRES = new TcpProxy(URI.create(DATABASE.substring("jdbc:".length())).getPort());
            REDIS = new TcpProxy(6379);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void throughRelays(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE.replaceFirst("//[^/]+/", "//127.0.0.1:" + POSTGRES.port() + "/"));
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.datasource.hikari.data-source-properties.socketTimeout", () -> "3");
        registry.add("affnet.click.max-wait", () -> "2s");
        registry.add("affnet.conversion.max-wait", () -> "2s");
        registry.add("spring.data.redis.port", REDIS::port);
        // Entries expire during the outage: what is served then is the stale copy.
        registry.add("affnet.click.cache-ttl-ms", () -> "1000");
        registry.add("affnet.click.cap-refresh-ms", () -> "200");
        registry.add("affnet.redis.probe-interval", () -> "300ms");
    }

    @Autowired
    MeterRegistry meters;

    /** Straight to the database, not through the relay the test stalls. */
    private final JdbcTemplate direct = new JdbcTemplate(new DriverManagerDataSource(DATABASE,
            System.getenv().getOrDefault("AFFNET_DB_USER", "postgres"), System.getenv().getOrDefault("AFFNET_DB_PASSWORD", "")));

    @AfterEach
    void storesBack() throws IOException {
        POSTGRES.delay(Duration.ZERO);
        POSTGRES.thaw();
        POSTGRES.resume();
        REDIS.thaw();
        REDIS.resume();
    }

    @AfterAll
    static void closeRelays() throws IOException {
        POSTGRES.close();
        REDIS.close();
    }

    /** An offer with these caps, an affiliate and a link to it; the link's code once it redirects. */
    private static String link(Traffic t, String capsJson) {
        return t.link(t.affiliate("faults@example.com", "[]"), t.offer(capsJson, 86_400));
    }

    private record Timed(HttpResponse<String> response, long millis) {
    }

    private Timed click(Traffic t, String code) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/c/" + code)).header("User-Agent", Traffic.DESKTOP)
                .header("CF-IPCountry", "DE").timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Timed(r, (System.nanoTime() - start) / 1_000_000);
    }

    private static String clickId(HttpResponse<String> r) {
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    private String component(String name) {
        return send("GET", "/actuator/health", null, null).json().at("/components/" + name + "/status").asText();
    }

    private JsonNode storedClick(String clickId) throws IOException {
        byte[] payload = direct.queryForObject("SELECT payload FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = 0",
                byte[].class, clickId);
        return JSON.readTree(payload);
    }

    private int stored(String clickId) {
        return direct.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                Integer.class, clickId, ClickRecordedEvent.class.getName());
    }

    @Test
    void aRedisOutageLeavesClicksAndPostbacksWorkingAtNormalLatencyAndHealthSaysSo() throws Exception {
        Traffic t = Traffic.tenant(this, "redis-outage", false);
        String code = link(t, "{\"daily\":1000,\"perAffiliateDaily\":500}");
        String before = clickId(click(t, code).response());
        assertThat(t.postback("click_id=" + before + "&goal=lead&txn_id=R0").body()).isEqualTo("accepted");

        for (Runnable fault : new Runnable[]{REDIS::freeze, () -> {
            try {
                REDIS.pause();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }}) {
            fault.run();
            // Longer than the cache's TTL: every entry the click needs has expired.
            Thread.sleep(1_500);
            List<Long> latencies = new ArrayList<>();
            List<String> clicks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Timed c = click(t, code);
                assertThat(c.response().statusCode()).as("click %d during the outage: %s", i, c.response().body()).isEqualTo(302);
                assertThat(c.response().headers().firstValue("Location").orElseThrow()).as("the capped offer, not a fallback")
                        .startsWith("https://shop.example/");
                latencies.add(c.millis());
                clicks.add(clickId(c.response()));
            }
            // A 2-core machine shared with other builds (load average above 30 here) stalls a request now and
            // then for a few hundred ms whatever Redis does: every click bounded, nine in ten at normal latency.
            assertThat(latencies).as("click latencies (ms) during the outage").allSatisfy(ms -> assertThat(ms).isLessThan(NO_CLICK_ABOVE_MS));
            assertThat(latencies.stream().filter(ms -> ms < NORMAL_CLICK_MS).count()).as("clicks at normal latency: %s", latencies)
                    .isGreaterThanOrEqualTo(27);
            String txn = "R" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(t.postback("click_id=" + clicks.get(0) + "&goal=lead&txn_id=" + txn).body()).isEqualTo("accepted");
            assertThat(storedClick(clicks.get(1)).get("unique").isNull()).as("no unique flag while Redis is away").isTrue();

            long start = System.nanoTime();
            Response health = send("GET", "/actuator/health", null, null);
            long healthMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().at("/components/redis/status").asText()).isEqualTo("DOWN");
            assertThat(healthMillis).as("health answers without waiting on Redis").isLessThan(NORMAL_CLICK_MS);
            assertThat(meters.get("affnet.store.degraded").tag("store", "redis").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("affnet.store.fallbacks").tag("store", "redis").functionCounter().count()).isPositive();

            REDIS.thaw();
            REDIS.resume();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(component("redis")).isEqualTo("UP"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(storedClick(clickId(click(t, code).response())).get("unique").isNull())
                            .as("unique flags again once Redis answers").isFalse());
        }
        assertThat(meters.get("affnet.store.degraded").tag("store", "redis").gauge().value()).isEqualTo(0.0);
        assertThat(meters.get("affnet.click.config.stale").functionCounter().count()).as("stale entries served").isPositive();
    }

    @Test
    void aStalledDatabaseAnswers503WithRetryAfterAfterABoundedWaitAndHealsWithoutARestart() throws Exception {
        Traffic t = Traffic.tenant(this, "pg-stall", false);
        String code = link(t, "{}");
        String earlier = clickId(click(t, code).response());
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(earlier) == 1);

        POSTGRES.freeze();
        List<String> recorded = new ArrayList<>();
        int unknown = 0;
        for (int i = 0; i < 3; i++) {
            Timed c = click(t, code);
            int status = c.response().statusCode();
            assertThat(status).as("click during the stall: %s", c.response().body()).isIn(302, 503);
            assertThat(c.millis()).as("a bounded wait").isLessThan(15_000);
            if (status == 503) {
                assertThat(c.response().headers().firstValue("Retry-After")).isPresent();
                assertThat(c.response().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                if (c.response().body().contains("click-outcome-unknown")) {
                    unknown++;
                } else {
                    assertThat(c.response().body()).contains("click-not-recorded");
                }
            } else {
                recorded.add(clickId(c.response()));
            }
        }
        assertThat(recorded.size()).as("a stalled database confirms nothing").isLessThan(3);
        HttpResponse<String> postback = http.send(HttpRequest.newBuilder(URI.create(base + "/postback?click_id=" + earlier
                + "&goal=lead&txn_id=S1&token=" + t.token)).timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(postback.statusCode()).as(postback.body()).isIn(200, 503);
        assertThat(postback.statusCode()).as("never a 500").isNotEqualTo(500);

        POSTGRES.thaw();
        POSTGRES.pause();
        POSTGRES.resume();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(click(t, code).response().statusCode()).isEqualTo(302));
        for (String id : recorded) {
            assertThat(stored(id)).as("a 302 only for a stored click").isEqualTo(1);
        }
        assertThat(unknown).as("clicks answered 'outcome unknown'").isBetween(0, 3);
    }

    /**
     * Issue 17, scenario 6: PostgreSQL answers 300 ms late; 40 postbacks at once, far more than the conversion
     * writers get through in the 2 s a postback may wait here. Every one is answered within a bounded time:
     * accepted (and stored), or 503 with {@code Retry-After} as problem+json; one answered
     * {@code postback-overloaded} ("nothing was counted") is not stored, and is accepted when sent again.
     */
    @Test
    void aSlowDatabaseShedsPostbacksWith503InsteadOfQueueingThem() throws Exception {
        Traffic t = Traffic.tenant(this, "pg-slow", false);
        String code = link(t, "{}");
        List<String> clicks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            clicks.add(clickId(click(t, code).response()));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> clicks.stream().allMatch(id -> stored(id) == 1));
        String run = UUID.randomUUID().toString().substring(0, 8);

        POSTGRES.delay(Duration.ofMillis(300));
        List<java.util.concurrent.CompletableFuture<Timed>> pending = new ArrayList<>();
        for (int i = 0; i < clicks.size(); i++) {
            long start = System.nanoTime();
            pending.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/postback?click_id=" + clicks.get(i)
                                    + "&goal=lead&txn_id=SL" + run + i + "&token=" + t.token)).timeout(Duration.ofSeconds(90)).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Timed(r, (System.nanoTime() - start) / 1_000_000)));
        }
        List<Timed> answers = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<Timed> p : pending) {
            answers.add(p.get(120, java.util.concurrent.TimeUnit.SECONDS));
        }
        POSTGRES.delay(Duration.ZERO);

        List<Integer> shed = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> r = answers.get(i).response();
            assertThat(r.statusCode()).as("postback %d: %s", i, r.body()).isIn(200, 503);
            // 2 s in the queue, a transaction's budget (0.4 s), a command and a commit at 300 ms a round trip,
            // and room for a loaded machine; before issue 17's shedding the last of them waited about 40 s.
            assertThat(answers.get(i).millis()).as("postback %d answered in bounded time", i).isLessThan(15_000);
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                if (r.body().contains("postback-overloaded")) {
                    shed.add(i);
                }
            } else if (r.body().equals("accepted")) {
                accepted.add(i);
            }
        }
        assertThat(shed).as("postbacks shed: %s", answers.stream().map(a -> a.response().statusCode() + "/" + a.millis()).toList())
                .isNotEmpty();
        assertThat(accepted).as("the writers still get through some").isNotEmpty();
        for (int i : accepted) {
            assertThat(conversions(clicks.get(i))).as("an accepted postback is stored").isEqualTo(1);
        }
        for (int i : shed) {
            assertThat(conversions(clicks.get(i))).as("a shed postback counted nothing").isZero();
        }
        int again = shed.get(0);
        assertThat(t.postback("click_id=" + clicks.get(again) + "&goal=lead&txn_id=SL" + run + again).body())
                .as("sent again once the database is fast").isEqualTo("accepted");
    }

    private int conversions(String clickId) {
        return direct.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                Integer.class, clickId, io.affnet.api.conversion.ConversionRecordedEvent.class.getName());
    }

    @Test
    void aConnectionCutAfterCommitIsResolvedNotReportedAsNothingCounted() throws Exception {
        Traffic t = Traffic.tenant(this, "ambiguous", false);
        String code = link(t, "{}");

        // The marker is in this click's event only (its sub1), whether or not the insert's SQL text is resent.
        String marker = "amb" + UUID.randomUUID().toString().replace("-", "");
        POSTGRES.cutAfterNextCommitOf(marker);
        Timed c = click(t, code + "?sub1=" + marker);
        assertThat(POSTGRES.trapsSprung()).as("the click's commit was cut").isEqualTo(1);
        assertThat(c.response().statusCode()).as("the click was stored, so it is answered as recorded: %s", c.response().body())
                .isEqualTo(302);
        assertThat(stored(clickId(c.response()))).isEqualTo(1);
    }
}
