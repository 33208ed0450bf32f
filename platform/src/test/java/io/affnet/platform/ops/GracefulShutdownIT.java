package io.affnet.platform.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.support.ChildPlatform;
import io.affnet.platform.support.PostbackReceiver;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop drains (issue 17, docs/operations.md "Graceful shutdown"): a platform node (child JVM)
 * gets SIGTERM while four clients click and post back as fast as it answers. It exits by itself within
 * the grace period, with SIGTERM's exit code; every click answered 302 and every postback answered
 * {@code accepted} before it exited is in the event store (the click and postback queues were committed,
 * not dropped); nothing was answered 500; and no outbound postback was left in flight (the worker finished
 * or released what it had).
 */
class GracefulShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIGTERM_EXIT_CODE = 128 + 15;
    private static final int CLIENTS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final List<String> ackedList = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger ackedAfterSigterm = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean sigtermSent;

    @Test
    void sigtermUnderLoadAnswersOnlyWhatItStoredAndLeavesNothingInFlight() throws Exception {
        try (ChildPlatform platform = new ChildPlatform("graceful-shutdown").withOwnDatabase();
             PostbackReceiver receiver = new PostbackReceiver()) {
            Process node = platform.start("node");
            ChildPlatform.Network net = platform.setUpNetwork("drain");
            HttpResponse<String> configured = platform.send("PUT", "/api/v1/affiliates/" + net.affiliate() + "/postback", net.key(),
                    "{\"templates\":[{\"url\":\"" + receiver.base() + "/pb?c={click_id}&tx={transaction_id}\"}]}");
            assertThat(configured.statusCode()).as(configured.body()).isEqualTo(201);

            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                clients.execute(() -> load(platform, net, stop));
            }
            Thread.sleep(6_000);
            int ackedBefore = acked.size();
            sigtermSent = true;
            long sigtermAt = System.nanoTime();
            node.destroy();
            boolean exited = node.waitFor(60, TimeUnit.SECONDS);
            double stopSeconds = (System.nanoTime() - sigtermAt) / 1e9;
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(exited).as("stopped by itself within the grace period").isTrue();
            assertThat(node.exitValue()).as("exit code of a JVM stopped by SIGTERM").isEqualTo(SIGTERM_EXIT_CODE);
            assertThat(ackedBefore).as("load reached the platform before the SIGTERM").isGreaterThan(20);
            assertThat(statuses).as("answers by status").doesNotContainKey(500);

            try (Connection db = platform.connection()) {
                Set<String> stored = storedClicks(db);
                List<String> lost = acked.stream().filter(id -> !stored.contains(id)).toList();
                assertThat(lost).as("clicks answered 302 but not stored").isEmpty();
                Set<String> conversions = storedConversions(db);
                List<String> lostPostbacks = accepted.stream().filter(a -> !conversions.contains(a)).toList();
                assertThat(lostPostbacks).as("postbacks answered accepted but not stored").isEmpty();
                try (PreparedStatement st = db.prepareStatement("SELECT count(*) FROM outbound_delivery WHERE state = 'IN_FLIGHT'");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("outbound postbacks left in flight").isZero();
                }
            }
            System.out.printf("GracefulShutdownIT: SIGTERM after %d acknowledged clicks; stopped in %.1f s; %d clicks and %d postbacks "
                            + "acknowledged in all, %d of them after the SIGTERM; %d requests refused after it; answers %s; "
                            + "outbound postbacks received %d%n", ackedBefore, stopSeconds, acked.size(), accepted.size(),
                    ackedAfterSigterm.get(), refused.get(), statuses, receiver.effective.size());
        }
    }

    private void load(ChildPlatform platform, ChildPlatform.Network net, AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                if (ThreadLocalRandom.current().nextInt(10) < 3 && !ackedList.isEmpty()) {
                    String click = ackedList.get(ThreadLocalRandom.current().nextInt(ackedList.size()));
                    String txn = "D" + click.substring(0, Math.min(12, click.length()));
                    HttpResponse<String> r = platform.postback(net.token(), click, txn);
                    count(r.statusCode());
                    if (r.statusCode() == 200 && r.body().equals("accepted")) {
                        accepted.add(click + "|" + txn);
                        afterSigterm();
                    }
                } else {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(platform.base() + "/c/" + net.code()))
                            .timeout(Duration.ofSeconds(30)).header("User-Agent", Traffic.DESKTOP).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    count(r.statusCode());
                    if (r.statusCode() == 302) {
                        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
                        String id = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
                        if (acked.add(id)) {
                            ackedList.add(id);
                        }
                        afterSigterm();
                    }
                }
            } catch (IOException e) {
                if (sigtermSent) {
                    refused.incrementAndGet();
                }
                sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }

    private void afterSigterm() {
        if (sigtermSent) {
            ackedAfterSigterm.incrementAndGet();
        }
    }

    private static Set<String> storedClicks(Connection db) throws Exception {
        Set<String> stored = new HashSet<>();
        try (PreparedStatement st = db.prepareStatement("SELECT aggregateidentifier FROM domainevententry"
                + " WHERE payloadtype = 'io.affnet.api.click.ClickRecordedEvent'");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    private static Set<String> storedConversions(Connection db) throws Exception {
        Set<String> stored = new HashSet<>();
        try (PreparedStatement st = db.prepareStatement("SELECT aggregateidentifier, convert_from(payload, 'UTF8') FROM domainevententry"
                + " WHERE payloadtype = 'io.affnet.api.conversion.ConversionRecordedEvent'");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                JsonNode payload = JSON.readTree(rs.getString(2));
                stored.add(rs.getString(1) + "|" + payload.path("transactionId").asText(payload.path("txnId").asText("")));
            }
        }
        return stored;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
