package io.affnet.platform.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.support.ChildPlatform;
import io.affnet.platform.support.PostbackReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly one effective delivery per conversion event across a real restart of the platform in the
 * middle of a delivery. The platform runs as a separate JVM; a local receiver holds a postback request
 * open while the JVM is SIGKILLed, then processes it (the request arrived, its answer is lost). The
 * restarted platform must send it again once the lease has run out, with the same
 * {@code Affnet-Delivery-Id}, so the receiver drops the copy; the log shows the lost attempt as
 * {@code INTERRUPTED}. A graceful stop (SIGTERM) instead waits for the attempt in flight and records its
 * outcome, so nothing is sent again.
 */
class OutboundRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * An attempt long enough that the kill lands inside it, even on a loaded machine. The lease (renewed every
     * third of it while the node works on the attempt) is what bounds the re-send after the kill, not the attempt
     * timeout: before renewals the lease was the attempt timeout plus a grace.
     */
    private static final String[] OUTBOUND = {"--affnet.outbound.attempt-timeout=25s", "--affnet.outbound.lease=6s"};
    private static final int SIGTERM_EXIT_CODE = 128 + 15;

    /** One request as it arrived at the receiver (before it is answered). */
    private record Arrival(String txn, String deliveryId, String attempt, Instant at) {
    }

    /** Holds the first request for a transaction open until released. */
    private static final class Hold {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
    }

    private ChildPlatform platform;
    private PostbackReceiver receiver;
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        holds.values().forEach(h -> h.release.countDown());
        if (platform != null) {
            platform.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aDeliveryLostToAKillIsSentAgainAfterItsLeaseWithTheSameIdAndAGracefulStopFinishesItsDelivery() throws Exception {
        receiver = new PostbackReceiver();
        receiver.answer(r -> {
            String txn = txnOf(r.url());
            arrivals.add(new Arrival(txn, r.header("Affnet-Delivery-Id"), r.header("Affnet-Delivery-Attempt"), Instant.now()));
            Hold hold = holds.remove(txn);
            if (hold != null) {
                hold.arrived.countDown();
                try {
                    hold.release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return PostbackReceiver.Answer.status(200);
        });
        platform = new ChildPlatform("outbound-restart").withOwnDatabase();
        Process first = platform.start("first", OUTBOUND);
        ChildPlatform.Network net = platform.setUpNetwork("obrestart");
        HttpResponse<String> configured = platform.send("PUT", "/api/v1/affiliates/" + net.affiliate() + "/postback", net.key(),
                "{\"templates\":[{\"url\":\"" + receiver.base() + "/pb?c={click_id}&tx={transaction_id}\"}]}");
        assertThat(configured.statusCode()).as(configured.body()).isEqualTo(201);

        // A: delivered normally before the kill; it must not be sent again by the restarted platform.
        String clickA = convert(net, "A");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(delivery(net, clickA).get("state")));

        // B: the receiver holds the request open; the platform is SIGKILLed while it waits for the answer.
        Hold holdB = hold("B");
        String clickB = convert(net, "B");
        assertThat(holdB.arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("B's postback reached the receiver").isTrue();
        Map<String, Object> inFlight = delivery(net, clickB);
        assertThat(inFlight.get("state")).isEqualTo("IN_FLIGHT");
        Instant killedAt = Instant.now();
        platform.kill(first);
        // The receiver now processes the held request: it arrived, but its answer is lost with the JVM.
        holdB.release.countDown();
        await().atMost(WAIT).until(() -> receiver.requests.stream().anyMatch(r -> "B".equals(txnOf(r.url()))));
        Map<String, Object> lost = delivery(net, clickB);
        assertThat(lost.get("state")).as("nobody recorded B's outcome").isEqualTo("IN_FLIGHT");
        // Renewals stop with the node: the lease ends at most one lease (6 s) after the kill, whatever the
        // attempt timeout (25 s; before renewals the lease ran 27 s from the claim).
        Instant leaseUntil = ((java.sql.Timestamp) lost.get("lease_until")).toInstant();
        assertThat(leaseUntil).as("the lost attempt's lease").isBefore(killedAt.plusSeconds(6 + 2));

        Process restarted = platform.start("restarted", OUTBOUND);
        await().atMost(WAIT).until(() -> "DELIVERED".equals(delivery(net, clickB).get("state")));
        List<Arrival> b = arrivalsOf("B");
        assertThat(b).hasSize(2);
        assertThat(b).extracting(Arrival::deliveryId).as("the same delivery id on the retry")
                .containsOnly((String) inFlight.get("delivery_id"));
        assertThat(b).extracting(Arrival::attempt).containsExactly("1", "2");
        assertThat(b.get(1).at()).as("sent again only after the lost attempt's lease ran out").isAfterOrEqualTo(leaseUntil);
        assertThat(receiver.requests.stream().filter(r -> "B".equals(txnOf(r.url()))).map(PostbackReceiver.Received::duplicate))
                .as("the receiver took the held request and dropped the retry as a repeated delivery id")
                .containsExactly(false, true);
        JsonNode log = deliveryLog(net, (String) inFlight.get("conversion_id"));
        assertThat(log).hasSize(2);
        assertThat(log.get(1).get("attempt").asInt()).isEqualTo(1);
        assertThat(log.get(1).get("outcome").asText()).isEqualTo("INTERRUPTED");
        assertThat(log.get(1).get("error").asText()).contains("lease ran out before its outcome was recorded");
        assertThat(log.get(0).get("attempt").asInt()).isEqualTo(2);
        assertThat(log.get(0).get("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log).extracting(e -> e.get("deliveryId").asText()).containsOnly((String) inFlight.get("delivery_id"));

        // C: a graceful stop (SIGTERM) while the receiver holds the request waits for it and records it.
        Hold holdC = hold("C");
        String clickC = convert(net, "C");
        assertThat(holdC.arrived.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("C's postback reached the receiver").isTrue();
        restarted.destroy();
        assertThat(restarted.waitFor(1, TimeUnit.SECONDS)).as("a graceful stop waits for the delivery in flight").isFalse();
        holdC.release.countDown();
        assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).as("stopped after the delivery in flight ended").isTrue();
        assertThat(restarted.exitValue()).as("exit code of a JVM stopped by SIGTERM").isEqualTo(SIGTERM_EXIT_CODE);
        Map<String, Object> c = delivery(net, clickC);
        assertThat(c.get("state")).isEqualTo("DELIVERED");
        assertThat(c.get("attempts")).isEqualTo(1);
        assertThat(attemptOutcomes((String) c.get("delivery_id"))).containsExactly("DELIVERED");
        assertThat(arrivalsOf("C")).hasSize(1);

        // Each conversion event: one outbound_delivery row and one effective delivery at the receiver.
        assertThat(arrivalsOf("A")).hasSize(1);
        Map<String, Integer> rowsPerEvent = rowsPerEvent(net);
        assertThat(rowsPerEvent).hasSize(3).allSatisfy((event, rows) -> assertThat(rows).as(event).isEqualTo(1));
        Map<String, Long> effective = new HashMap<>();
        receiver.effective.forEach(r -> effective.merge(r.header("Affnet-Delivery-Id"), 1L, Long::sum));
        assertThat(effective).hasSize(3).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(receiver.effective).extracting(r -> txnOf(r.url())).containsExactlyInAnyOrder("A", "B", "C");
        System.out.printf("OutboundRestartIT: B sent at %s, lease until %s, SIGKILL, restart, sent again at %s (attempt 2, same id); "
                + "C finished during the graceful stop; receiver got %d requests, %d effective%n",
                b.get(0).at(), leaseUntil, b.get(1).at(), receiver.requests.size(), receiver.effective.size());
    }

    private Hold hold(String txn) {
        Hold hold = new Hold();
        holds.put(txn, hold);
        return hold;
    }

    /** Clicks and posts back a sale with this transaction id; answers the click id. */
    private String convert(ChildPlatform.Network net, String txn) throws Exception {
        String click = platform.click(net.code());
        HttpResponse<String> r = platform.postback(net.token(), click, txn);
        assertThat(r.body()).isEqualTo("accepted");
        return click;
    }

    private List<Arrival> arrivalsOf(String txn) {
        return arrivals.stream().filter(a -> txn.equals(a.txn())).toList();
    }

    private static String txnOf(String url) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith("tx=")) {
                return pair.substring(3);
            }
        }
        return null;
    }

    private JsonNode deliveryLog(ChildPlatform.Network net, String conversionId) throws Exception {
        HttpResponse<String> r = platform.send("GET", "/api/v1/conversions/" + conversionId + "/postback-deliveries", net.key(), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("items");
    }

    /** The click's delivery row (empty until it is enqueued). */
    private Map<String, Object> delivery(ChildPlatform.Network net, String clickId) throws Exception {
        try (Connection db = platform.connection();
             PreparedStatement q = db.prepareStatement("""
                     SELECT delivery_id, conversion_id, state, attempts, lease_until FROM outbound_delivery
                     WHERE tenant_id = ? AND click_id = ?""")) {
            q.setString(1, net.tenantId());
            q.setString(2, clickId);
            Map<String, Object> row = new LinkedHashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                }
            }
            return row;
        }
    }

    private List<String> attemptOutcomes(String deliveryId) throws Exception {
        try (Connection db = platform.connection();
             PreparedStatement q = db.prepareStatement("SELECT outcome FROM outbound_attempt WHERE delivery_id = ? ORDER BY attempt_seq")) {
            q.setString(1, deliveryId);
            List<String> outcomes = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    outcomes.add(rs.getString(1));
                }
            }
            return outcomes;
        }
    }

    /** Delivery rows per conversion event of the tenant. */
    private Map<String, Integer> rowsPerEvent(ChildPlatform.Network net) throws Exception {
        try (Connection db = platform.connection();
             PreparedStatement q = db.prepareStatement("SELECT event_id, count(*) FROM outbound_delivery WHERE tenant_id = ? GROUP BY event_id")) {
            q.setString(1, net.tenantId());
            Map<String, Integer> rows = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getInt(2));
                }
            }
            return rows;
        }
    }
}
