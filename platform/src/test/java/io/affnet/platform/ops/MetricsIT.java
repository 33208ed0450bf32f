package io.affnet.platform.ops;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} as a Prometheus scraper sees it, before and after real traffic. (Spring
 * Boot's tests switch metrics export off unless asked to keep it.)
 */
@AutoConfigureObservability(tracing = false)
class MetricsIT extends PlatformIT {

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + OPERATOR_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The sum of every sample of {@code name} whose labels contain all of {@code labels} (0 when none). */
    private static double sum(String scrape, String name, String... labels) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([-+0-9.eE]+|NaN)$").matcher(scrape);
        while (m.find()) {
            String labelSet = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= labelSet.contains(label);
            }
            if (all && !m.group(2).equals("NaN")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    @Test
    void countersMoveAfterAClickAndAPostbackAndTheStoresProcessorsAndJvmAreMeasured() throws Exception {
        Traffic t = Traffic.tenant(this, "metrics", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("m@example.com", "[]"), offer);
        String before = scrape();

        String clickId = t.clickId(code);
        assertThat(t.postback("click_id=" + clickId + "&txn_id=m-1&goal=lead&status=approved").body()).startsWith("accepted");
        assertThat(t.postback("click_id=" + clickId + "&txn_id=m-1&goal=lead&status=approved").body())
                .as("the same transaction again").contains("duplicate");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String after = scrape();
            String affnet = after.lines().filter(l -> l.startsWith("affnet_")).collect(java.util.stream.Collectors.joining("\n"));
            assertThat(sum(after, "affnet_clicks_recorded_total") - sum(before, "affnet_clicks_recorded_total"))
                    .as("clicks\n" + affnet).isGreaterThanOrEqualTo(1);
            assertThat(sum(after, "affnet_postbacks_total", "endpoint=\"postback\"", "status=\"200\"")
                    - sum(before, "affnet_postbacks_total", "endpoint=\"postback\"", "status=\"200\"")).as("postbacks\n" + affnet)
                    .isGreaterThanOrEqualTo(1);
            assertThat(sum(after, "affnet_conversions_total", "outcome=\"recorded\"", "status=\"approved\"")
                    - sum(before, "affnet_conversions_total", "outcome=\"recorded\"", "status=\"approved\"")).as("recorded\n" + affnet)
                    .isGreaterThanOrEqualTo(1);
            assertThat(sum(after, "affnet_conversions_total", "outcome=\"rejected\"", "reason=\"duplicate\"")
                    - sum(before, "affnet_conversions_total", "outcome=\"rejected\"", "reason=\"duplicate\"")).as("duplicate\n" + affnet)
                    .isGreaterThanOrEqualTo(1);
            assertThat(after).contains("affnet_processor_lag_events{processing_group=\"report-views\"}")
                    .contains("affnet_processor_lag_seconds{processing_group=\"core-views\"}")
                    .contains("affnet_outbound_queue{state=\"pending\"}");
            assertThat(sum(after, "affnet_store_latency_seconds_count", "store=\"redis\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(after, "affnet_store_latency_seconds_count", "store=\"elasticsearch\"")).isGreaterThanOrEqualTo(1);
            assertThat(sum(after, "jvm_memory_used_bytes")).isGreaterThan(0);
        });
        // Caught up after the traffic: no lag left in the report processor.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(sum(scrape(), "affnet_processor_lag_events", "processing_group=\"report-views\"")).isEqualTo(0));
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.affnet.platform.eventstore.JdbcEventBatches eventTable;

    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.eventsourcing.eventstore.EventStore eventStore;

    /** The lag in seconds reads the event table: the time of the first event after a position (issue 17). */
    @Test
    void theLagReadsTheTimeOfTheFirstEventAfterAPositionFromTheEventTable() throws Exception {
        ProcessorLagMeters.EventTimes times = eventTable::firstTimestampAfter;
        long head = eventStore.createHeadToken().position().orElse(-1);
        long before = System.currentTimeMillis();
        Traffic t = Traffic.tenant(this, "lag", false);
        t.clickId(t.link(t.affiliate("lag@example.com", "[]"), t.offer("null", 86400)));
        long after = System.currentTimeMillis();
        // Events after the head read then were all stored by now, ours or other tests' (one second of slack for the clock).
        java.util.OptionalLong first = times.firstAfter(head);
        assertThat(first).isPresent();
        assertThat(first.getAsLong()).isBetween(before - 1_000, after + 1_000);
        assertThat(times.firstAfter(Long.MAX_VALUE - 1)).isEmpty();
    }

    @Test
    void metricsNeedTheMetricsToken() {
        Response anonymous = send("GET", "/actuator/prometheus", null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(send("GET", "/actuator/prometheus", "wrong-token", null).status()).isEqualTo(401);
    }

    @Test
    void everyAnswerCarriesARequestIdAndOnlyASafeOneFromTheTrustedHeaderIsKept() throws Exception {
        assertThat(requestId("lb-7f3a.9")).isEqualTo("lb-7f3a.9");
        String replaced = requestId("abc def<script>");
        assertThat(replaced).matches("[A-Za-z0-9_-]{16}");
        assertThat(requestId("x".repeat(65))).hasSize(16);
        assertThat(requestId(null)).matches("[A-Za-z0-9_-]{16}").isNotEqualTo(replaced);
    }

    /** The X-Request-Id of an answer to a request that sent {@code inbound} in the trusted header (the IT profile's). */
    private String requestId(String inbound) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET();
        if (inbound != null) {
            b.header("X-Request-Id", inbound);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Request-Id").orElseThrow();
    }
}
