package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Money and reports are written through clicks and postbacks; the state replayed from the events alone then
 * equals the live views field by field (balances and conversion counts through the audit API's own
 * comparison, report totals against the report API), an earlier instant shows the earlier figures, and a
 * diff names the events that moved each figure; the diff's own read path answers exactly what the history
 * path answers.
 */
class AuditStateIT extends PlatformIT {

    @Autowired
    AuditHistory history;

    @Test
    void replayedStateAtNowEqualsTheLiveViewsAndEarlierInstantsShowEarlierFigures() throws Exception {
        Traffic t = Traffic.tenant(this, "audit-state", false);
        String offer = t.offer("{}", 86400);
        String aff1 = t.affiliate("one@example.com", "[]");
        String aff2 = t.affiliate("two@example.com", "[]");
        String code1 = t.link(aff1, offer);
        String code2 = t.link(aff2, offer);
        String auditor = send("POST", "/api/v1/keys", t.key, "{\"role\":\"AUDITOR\"}").json().get("key").asText();

        List<String> clicks1 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clicks1.add(t.clickId(code1));
        }
        String click2 = t.clickId(code2);
        assertThat(t.postback("click_id=" + clicks1.get(0) + "&txn_id=s-1&goal=lead&status=pending").status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + clicks1.get(1) + "&txn_id=s-2&goal=sale&amount=40.00&status=approved").status()).isEqualTo(200);
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().isAfter(between.plusMillis(5)));
        assertThat(t.postback("click_id=" + clicks1.get(0) + "&txn_id=s-1&goal=lead&status=approved").status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + clicks1.get(2) + "&txn_id=s-3&goal=lead&status=pending").status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + clicks1.get(2) + "&txn_id=s-3&goal=lead&status=rejected").status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + click2 + "&txn_id=s-4&goal=lead&status=approved").status()).isEqualTo(200);
        assertThat(t.postback("click_id=" + click2 + "&txn_id=s-4&goal=lead&status=reversed").status()).isEqualTo(200);

        // Balances and conversion counts: the audit API compares with the commission view itself.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response now = send("GET", "/api/v1/audit/state?at=now", auditor, null);
            assertThat(now.status()).as(now.body()).isEqualTo(200);
            assertThat(now.json().at("/live/differences")).as(now.body()).isEmpty();
            assertThat(now.json().at("/live/matches").asBoolean()).isTrue();
        });
        JsonNode figures = send("GET", "/api/v1/audit/state?at=now", auditor, null).json().get("figures");
        String eur = "/EUR/";
        assertThat(figures.get("balance/" + aff1 + eur + "approvedMinor").asLong()).as(figures.toString()).isEqualTo(200 + 280);
        assertThat(figures.has("balance/" + aff1 + eur + "pendingMinor")).as("s-1 moved on, s-3 was rejected").isFalse();
        assertThat(figures.get("balance/" + aff2 + eur + "reversedMinor").asLong()).isEqualTo(200);
        assertThat(figures.get("conversions/APPROVED").asLong()).isEqualTo(2);
        assertThat(figures.get("conversions/REJECTED").asLong()).isEqualTo(1);
        assertThat(figures.get("conversions/REVERSED").asLong()).isEqualTo(1);

        // Report totals: the same figures through the live report API, field by field.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(AuditState.compare(toMap(figures), liveReport(t), "report/")).isEmpty());

        JsonNode earlier = send("GET", "/api/v1/audit/state?at=" + between, auditor, null).json();
        assertThat(earlier.has("live")).isFalse();
        assertThat(earlier.at("/figures/conversions~1PENDING").asLong()).isEqualTo(1);
        assertThat(earlier.at("/figures/conversions~1APPROVED").asLong()).isEqualTo(1);
        assertThat(earlier.get("figures").has("conversions/REVERSED")).isFalse();

        JsonNode narrowed = send("GET", "/api/v1/audit/state?at=now&affiliateId=" + aff2, auditor, null).json();
        assertThat(narrowed.at("/live/matches").asBoolean()).as(narrowed.toString()).isTrue();
        assertThat(narrowed.get("figures").fieldNames()).toIterable().noneMatch(n -> n.contains(aff1));

        JsonNode diff = send("GET", "/api/v1/audit/diff?from=" + between + "&to=" + Instant.now(), auditor, null).json();
        assertThat(diff.get("changes")).anySatisfy(c -> {
            assertThat(c.get("figure").asText()).isEqualTo("conversions/REVERSED");
            assertThat(c.get("from").asLong()).isZero();
            assertThat(c.get("to").asLong()).isEqualTo(1);
        });
        assertThat(diff.get("causes")).anySatisfy(c -> {
            assertThat(c.get("type").asText()).isEqualTo("ConversionStatusChangedEvent");
            assertThat(c.get("aggregateId").asText()).isEqualTo(click2);
            assertThat(c.get("figures").toString()).contains("balance/" + aff2 + "/EUR/reversedMinor");
        });
        assertThat(diff.get("causes")).noneSatisfy(c -> assertThat(c.get("aggregateId").asText()).isEqualTo(clicks1.get(1)));

        // The diff replays through the replay's own read path (TenantReplay); the history path (every event through
        // the storage engine) gives the same changes and the same causes, position by position.
        Instant to = Instant.parse(diff.get("to").asText());
        JsonNode whole = send("GET", "/api/v1/audit/diff?from=" + Instant.parse("2020-01-01T00:00:00Z") + "&to=" + to, auditor, null).json();
        assertThat(whole.get("events").asLong()).as(whole.toString()).isGreaterThanOrEqualTo(5 + 7);
        for (JsonNode answer : List.of(diff, whole)) {
            AuditState.Diff viaHistory = new AuditState(history, null, jdbc).diff(t.tenantId,
                    Instant.parse(answer.get("from").asText()), to, null, null);
            List<String> changes = new ArrayList<>();
            answer.get("changes").forEach(c -> changes.add(c.get("figure").asText() + " " + c.get("from").asLong() + " " + c.get("to").asLong()));
            assertThat(changes).as("changes").containsExactlyElementsOf(
                    viaHistory.changes().stream().map(c -> c.figure() + " " + c.from() + " " + c.to()).toList());
            List<String> causes = new ArrayList<>();
            answer.get("causes").forEach(c -> causes.add(c.get("globalPosition").asLong() + " " + c.get("type").asText() + " "
                    + c.get("aggregateId").asText() + " " + Instant.parse(c.get("timestamp").asText()) + " " + c.get("figures")));
            assertThat(causes).as("causes").isNotEmpty().containsExactlyElementsOf(viaHistory.causes().stream().map(c -> c.globalPosition()
                    + " " + c.type() + " " + c.aggregateId() + " " + c.timestamp() + " " + JSON.valueToTree(c.figures())).toList());
            assertThat(viaHistory.causesTotal()).isEqualTo(answer.get("causesTotal").asLong());
            assertThat(viaHistory.scanned()).isEqualTo(answer.get("events").asLong());
        }
        // Each cause's position is the event's own in the history API.
        JsonNode reversal = null;
        for (JsonNode c : diff.get("causes")) {
            if (c.get("aggregateId").asText().equals(click2) && c.get("figures").toString().contains("reversedMinor")) {
                reversal = c;
            }
        }
        assertThat(reversal).as(diff.toString()).isNotNull();
        JsonNode events = send("GET", "/api/v1/audit/events?aggregateId=" + click2 + "&type=ConversionStatusChangedEvent", auditor, null)
                .json().get("events");
        assertThat(events.get(events.size() - 1).get("globalPosition").asLong()).isEqualTo(reversal.get("globalPosition").asLong());
    }

    private static Map<String, Long> toMap(JsonNode figures) {
        Map<String, Long> map = new TreeMap<>();
        figures.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asLong()));
        return map;
    }

    /** The report API's totals per day, offer and affiliate, in the replay's figure names. */
    private Map<String, Long> liveReport(Traffic t) {
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        Response r = send("GET", "/api/v1/reports?metrics=clicks,conversions,revenue,payout&groupBy=day,offer,affiliate&from="
                + today.minusDays(1) + "&to=" + today.plusDays(2), t.key, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> columns = new ArrayList<>();
        r.json().get("columns").forEach(c -> columns.add(c.asText()));
        Map<String, Long> live = new TreeMap<>();
        for (JsonNode row : r.json().get("rows")) {
            String prefix = "report/" + row.get(0).asText().substring(0, 10) + "/" + row.get(1).asText() + "/" + row.get(2).asText() + "/";
            for (int i = 3; i < columns.size(); i++) {
                String column = columns.get(i);
                if (column.contains("_converted_")) {
                    continue;
                }
                JsonNode v = row.get(i);
                if (column.startsWith("revenue_") || column.startsWith("payout_")) {
                    String currency = column.substring(column.indexOf('_') + 1);
                    long minor = new BigDecimal(v.asText()).movePointRight(2).longValueExact();
                    if (minor != 0) {
                        live.put(prefix + column.substring(0, column.indexOf('_')) + "/" + currency, minor);
                    }
                } else if (v.asLong() != 0) {
                    live.put(prefix + column, v.asLong());
                }
            }
        }
        return live;
    }
}
