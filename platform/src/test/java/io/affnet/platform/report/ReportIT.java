package io.affnet.platform.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.platform.support.PlatformIT;
import io.affnet.query.report.ReportQuery;
import io.affnet.query.report.ReportRequests;
import io.affnet.query.report.ReportService;
import io.affnet.query.report.ReportTable;
import io.affnet.query.report.TenantScopedSearch;
import io.affnet.web.auth.Caller;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reports and logs over the fixed {@link ReportDataset}, against figures computed by hand. */
class ReportIT extends PlatformIT {

    static final String ALL = "clicks,unique_clicks,conversions,conversions_pending,conversions_approved,"
            + "conversions_rejected,conversions_reversed,rejected_reports,cr,revenue,payout,profit,epc";
    static final String RANGE = "&from=2026-10-24&to=2026-10-27";

    @Autowired
    EventStore eventStore;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    TenantScopedSearch scopedSearch;
    @Autowired
    ReportService reportService;
    @Autowired
    ReportRequests reportRequests;
    @Autowired
    io.affnet.projections.report.ReportViews views;

    String tenantId;
    String key;
    ReportDataset data;

    @BeforeEach
    void loadDataset() {
        String[] tenant = registerTenant(uniqueSlug("reports"));
        tenantId = tenant[0];
        key = tenant[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/tenants/" + tenantId, key, null).status() == 200);
        data = new ReportDataset(tenantId);
        data.append(eventStore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> total = rows(get("/api/v1/reports?metrics=" + ALL + RANGE)).get(0);
            assertThat(total).containsEntry("clicks", 6L).containsEntry("conversions", 4L)
                    .containsEntry("rejected_reports", 1L).containsEntry("conversions_approved", 2L)
                    .containsEntry("conversions_reversed", 1L);
            // The click documents too (rollups, clicks and conversions are refreshed each on its own).
            assertThat(rows(get("/api/v1/reports?metrics=clicks&groupBy=country" + RANGE)).stream()
                    .mapToLong(r -> (Long) r.get("clicks")).sum()).isEqualTo(6L);
        });
    }

    @Test
    void countsEveryMetricPerDayInTheTenantsTimeZone() {
        Map<String, Map<String, Object>> days = byKey(rows(get("/api/v1/reports?metrics=" + ALL + "&groupBy=day" + RANGE)), "day");
        assertThat(days.keySet()).containsExactly("2026-10-24", "2026-10-25", "2026-10-26");
        assertThat(days.get("2026-10-24")).containsEntry("clicks", 1L).containsEntry("unique_clicks", 1L)
                .containsEntry("conversions", 1L).containsEntry("conversions_approved", 1L).containsEntry("cr", 1.0)
                .containsEntry("revenue_EUR", "3.00").containsEntry("payout_EUR", "2.00").containsEntry("profit_EUR", "1.00")
                .containsEntry("epc_EUR", "2.0000").containsEntry("revenue_converted_EUR", "3.00")
                .containsEntry("revenue_USD", "0.00").containsEntry("rejected_reports", 0L);
        assertThat(days.get("2026-10-25")).containsEntry("clicks", 4L).containsEntry("unique_clicks", 2L)
                .containsEntry("conversions", 3L).containsEntry("conversions_pending", 1L)
                .containsEntry("conversions_approved", 1L).containsEntry("conversions_reversed", 1L)
                .containsEntry("conversions_rejected", 0L).containsEntry("rejected_reports", 1L).containsEntry("cr", 0.75)
                .containsEntry("revenue_EUR", "10.00").containsEntry("revenue_USD", "5.00")
                .containsEntry("revenue_converted_EUR", "14.60")
                .containsEntry("payout_EUR", "7.00").containsEntry("payout_USD", "4.00")
                .containsEntry("payout_converted_EUR", "10.68")
                .containsEntry("profit_EUR", "3.00").containsEntry("profit_USD", "1.00")
                .containsEntry("profit_converted_EUR", "3.92")
                .containsEntry("epc_EUR", "1.7500").containsEntry("epc_USD", "1.0000").containsEntry("epc_converted_EUR", "2.6700");
        assertThat(days.get("2026-10-26")).containsEntry("clicks", 1L).containsEntry("unique_clicks", 1L).containsEntry("conversions", 0L)
                .containsEntry("revenue_converted_EUR", "0.00");
    }

    @Test
    void bucketsHoursWeeksAndMonthsAcrossTheDstChange() {
        Map<String, Map<String, Object>> hours = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions,rejected_reports"
                + "&groupBy=hour&from=2026-10-25&to=2026-10-26")), "hour");
        assertThat(hours.keySet()).containsExactly("2026-10-25T00:00:00+02:00", "2026-10-25T02:00:00+02:00",
                "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00", "2026-10-25T06:00:00+01:00",
                "2026-10-25T23:00:00+01:00");
        assertThat(hours.get("2026-10-25T02:00:00+02:00")).containsEntry("clicks", 1L).containsEntry("conversions", 1L);
        assertThat(hours.get("2026-10-25T02:00:00+01:00")).containsEntry("clicks", 1L).containsEntry("conversions", 0L);
        assertThat(hours.get("2026-10-25T03:00:00+01:00")).containsEntry("clicks", 0L).containsEntry("conversions", 1L);
        assertThat(hours.get("2026-10-25T06:00:00+01:00")).containsEntry("rejected_reports", 1L);
        assertThat(hours.get("2026-10-25T23:00:00+01:00")).containsEntry("clicks", 1L).containsEntry("conversions", 1L);

        Map<String, Map<String, Object>> weeks = byKey(rows(get("/api/v1/reports?metrics=clicks&groupBy=week" + RANGE)), "week");
        assertThat(weeks.keySet()).containsExactly("2026-10-19", "2026-10-26");
        assertThat(weeks.get("2026-10-19")).containsEntry("clicks", 5L);
        Map<String, Map<String, Object>> months = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=month" + RANGE)), "month");
        assertThat(months.get("2026-10")).containsEntry("clicks", 6L).containsEntry("conversions", 4L);
    }

    @Test
    void groupsAndFiltersByEveryDimension() {
        Map<String, Map<String, Object>> offers = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions,rejected_reports,payout"
                + "&groupBy=offer" + RANGE)), "offer");
        assertThat(offers.get(data.id("O1"))).containsEntry("clicks", 4L).containsEntry("conversions", 2L)
                .containsEntry("rejected_reports", 1L).containsEntry("payout_converted_EUR", "2.00");
        assertThat(offers.get(data.id("O2"))).containsEntry("clicks", 2L).containsEntry("conversions", 2L)
                .containsEntry("payout_converted_EUR", "10.68");
        assertThat(byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=advertiser" + RANGE)), "advertiser")
                .get(data.id("ADV2"))).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        Map<String, Map<String, Object>> affiliates = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=affiliate" + RANGE)), "affiliate");
        assertThat(affiliates.get(data.id("A1"))).containsEntry("clicks", 4L).containsEntry("conversions", 2L);
        assertThat(affiliates.get(data.id("A2"))).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        assertThat(byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=link" + RANGE)), "link")
                .get(data.id("L-O2"))).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        Map<String, Map<String, Object>> goals = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions,rejected_reports&groupBy=goal" + RANGE)), "goal");
        assertThat(goals.get(null)).containsEntry("clicks", 6L).containsEntry("conversions", 0L);
        assertThat(goals.get("lead")).containsEntry("conversions", 3L).containsEntry("rejected_reports", 1L);
        assertThat(goals.get("sale")).containsEntry("conversions", 1L);
        Map<String, Map<String, Object>> countries = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=country" + RANGE)), "country");
        assertThat(countries.get("DE")).containsEntry("clicks", 4L).containsEntry("conversions", 2L);
        assertThat(countries.get("FR")).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        Map<String, Map<String, Object>> devices = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=device_class" + RANGE)), "device_class");
        assertThat(devices.get("desktop")).containsEntry("clicks", 4L).containsEntry("conversions", 3L);
        assertThat(devices.get("phone")).containsEntry("clicks", 2L).containsEntry("conversions", 1L);
        Map<String, Map<String, Object>> subs = byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=sub1" + RANGE)), "sub1");
        assertThat(subs.get("s-a")).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        assertThat(subs.get("s-b")).containsEntry("clicks", 1L).containsEntry("conversions", 0L);
        assertThat(byKey(rows(get("/api/v1/reports?metrics=clicks,conversions&groupBy=source,sub10" + RANGE)), "source")
                .get("fb")).containsEntry("sub10", "x").containsEntry("clicks", 1L).containsEntry("conversions", 1L);

        Map<String, Object> o2 = rows(get("/api/v1/reports?metrics=clicks,conversions&filter.offer=" + data.id("O2") + RANGE)).get(0);
        assertThat(o2).containsEntry("clicks", 2L).containsEntry("conversions", 2L);
        Map<String, Object> frPhone = rows(get("/api/v1/reports?metrics=clicks,conversions&filter.country=FR&filter.device_class=phone" + RANGE)).get(0);
        assertThat(frPhone).containsEntry("clicks", 1L).containsEntry("conversions", 1L);
    }

    @Test
    void sortsAndPagesWithACursor() {
        JsonNode first = get("/api/v1/reports?metrics=clicks&groupBy=offer,country&sort=-clicks&pageSize=1" + RANGE);
        assertThat(rows(first)).extracting(r -> r.get("clicks")).containsExactly(4L);
        String next = first.get("next").asText();
        JsonNode second = get("/api/v1/reports?metrics=clicks&groupBy=offer,country&sort=-clicks&pageSize=1&cursor=" + next + RANGE);
        assertThat(rows(second)).extracting(r -> r.get("offer"), r -> r.get("clicks")).containsExactly(
                org.assertj.core.groups.Tuple.tuple(data.id("O2"), 2L));
        assertThat(second.get("next").isNull()).isTrue();
        JsonNode ascending = get("/api/v1/reports?metrics=clicks&groupBy=offer&sort=clicks" + RANGE);
        assertThat(rows(ascending)).extracting(r -> r.get("clicks")).containsExactly(2L, 4L);
    }

    @Test
    void reportTotalsEqualTheSumOfTheConversionLog() {
        Map<String, Object> total = rows(get("/api/v1/reports?metrics=conversions,rejected_reports,revenue,payout" + RANGE)).get(0);
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/api/v1/reports/conversions?pageSize=2" + RANGE + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(items::add);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        assertThat(items).hasSize(5);
        long credited = items.stream().filter(i -> i.get("kind").asText().equals("conversion")).count();
        long rejected = items.stream().filter(i -> i.get("kind").asText().equals("rejection")).count();
        BigDecimal owedRevenue = items.stream().filter(i -> i.get("kind").asText().equals("conversion"))
                .filter(i -> List.of("PENDING", "APPROVED").contains(i.get("status").asText()))
                .map(i -> new BigDecimal(i.get("revenue_converted").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(total.get("conversions")).isEqualTo(credited);
        assertThat(total.get("rejected_reports")).isEqualTo(rejected);
        assertThat(new BigDecimal((String) total.get("revenue_converted_EUR"))).isEqualByComparingTo(owedRevenue);
    }

    @Test
    void searchesTheLogsByClickTransactionStatusAndReason() {
        JsonNode byClick = get("/api/v1/reports/conversions?filter.click_id=" + data.clicks.get("c1"));
        assertThat(byClick.get("items")).hasSize(1);
        JsonNode v1 = byClick.get("items").get(0);
        assertThat(v1.get("status").asText()).isEqualTo("APPROVED");
        assertThat(v1.get("status_history")).hasSize(2);
        assertThat(v1.get("sub1").asText()).isEqualTo("s-a");
        assertThat(v1.get("country").asText()).isEqualTo("DE");
        assertThat(get("/api/v1/reports/conversions?filter.transaction_id=tx-v2-" + data.suffix).get("items").get(0)
                .get("conversion_id").asText()).isEqualTo(data.id("v2"));
        assertThat(get("/api/v1/reports/conversions?filter.status=reversed").get("items")).hasSize(1);
        assertThat(get("/api/v1/reports/conversions?filter.rejection_reason=duplicate").get("items").get(0)
                .get("click_id").asText()).isEqualTo(data.clicks.get("c2"));
        assertThat(get("/api/v1/reports/clicks?filter.sub1=s-a").get("items")).hasSize(2);
        JsonNode clicks = get("/api/v1/reports/clicks?pageSize=4");
        assertThat(clicks.get("items")).hasSize(4);
        assertThat(clicks.get("items").get(0).get("click_id").asText()).isEqualTo(data.clicks.get("c6"));
        assertThat(get("/api/v1/reports/clicks?pageSize=4&cursor=" + clicks.get("next").asText()).get("items")).hasSize(2);
    }

    @Test
    void exportsCsvAndRefusesExportsOverTheRowLimit() {
        Response csv = send("GET", "/api/v1/reports?metrics=clicks,revenue&groupBy=day&format=csv" + RANGE, key, null);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().split("\r\n")).containsExactly(
                "day,clicks,revenue_EUR,revenue_USD,revenue_converted_EUR",
                "2026-10-24,1,3.00,0.00,3.00", "2026-10-25,4,10.00,5.00,14.60", "2026-10-26,1,0.00,0.00,0.00");
        Response log = send("GET", "/api/v1/reports/conversions?format=csv&filter.status=approved", key, null);
        assertThat(log.body().split("\r\n")).hasSize(3);
        // The it profile caps exports at 5 rows; the click log has 6.
        Response tooMany = send("GET", "/api/v1/reports/clicks?format=csv", key, null);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.contentType()).startsWith("application/problem+json");
        assertThat(tooMany.json().get("detail").asText()).contains("more than the limit of 5");
    }

    @Test
    void refusesUnknownMetricsDimensionsLongRangesAndBigPages() {
        assertBadRequest("/api/v1/reports?metrics=clicks,views" + RANGE, "Unknown metric 'views'");
        assertBadRequest("/api/v1/reports?groupBy=browser" + RANGE, "Unknown dimension 'browser'");
        assertBadRequest("/api/v1/reports?filter.browser=x" + RANGE, "Unknown filter 'browser'");
        assertBadRequest("/api/v1/reports?from=2025-01-01&to=2026-10-27", "at most 400 days");
        assertBadRequest("/api/v1/reports?pageSize=100000" + RANGE, "pageSize must be between 1 and");
        assertBadRequest("/api/v1/reports?query=*" + RANGE, "Unknown parameter 'query'");
        assertBadRequest("/api/v1/reports?filter.offer=a%22%7D" + RANGE, "Filter values are");
        assertBadRequest("/api/v1/reports/conversions?pageSize=501", "pageSize must be between 1 and 500");
        Response graphql = graphql(key, "{ report(metrics:[\"nope\"], from:\"2026-10-24\", to:\"2026-10-27\") { columns } }");
        assertThat(graphql.json().get("errors").get(0).get("message").asText()).contains("Unknown metric 'nope'");
    }

    @Test
    void anotherTenantNeverSeesTheseRowsInRestGraphQlOrCsv() {
        String otherKey = registerTenant(uniqueSlug("reports-b"))[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/reports?metrics=clicks" + RANGE, otherKey, null).status() == 200);
        assertThat(rows(send("GET", "/api/v1/reports?metrics=clicks,conversions&groupBy=offer" + RANGE, otherKey, null).json())).isEmpty();
        assertThat(rows(send("GET", "/api/v1/reports?metrics=clicks,conversions" + RANGE, otherKey, null).json()).get(0))
                .containsEntry("clicks", 0L).containsEntry("conversions", 0L);
        assertThat(send("GET", "/api/v1/reports/conversions?filter.click_id=" + data.clicks.get("c1"), otherKey, null)
                .json().get("items")).isEmpty();
        assertThat(send("GET", "/api/v1/reports/clicks", otherKey, null).json().get("items")).isEmpty();
        assertThat(send("GET", "/api/v1/reports/clicks?format=csv", otherKey, null).body().split("\r\n")).hasSize(1);
        assertThat(send("GET", "/api/v1/reports?metrics=clicks&groupBy=day&format=csv" + RANGE, otherKey, null)
                .body().split("\r\n")).containsExactly("day,clicks");
        JsonNode gql = graphql(otherKey, "{ report(metrics:[\"clicks\"], groupBy:[\"offer\"], from:\"2026-10-24\", to:\"2026-10-27\") { rows } "
                + "conversionLog(filters:[{name:\"click_id\", values:[\"" + data.clicks.get("c1") + "\"]}]) { rows } }").json();
        assertThat(gql.get("data").get("report").get("rows")).isEmpty();
        assertThat(gql.get("data").get("conversionLog").get("rows")).isEmpty();
        JsonNode own = graphql(key, "{ report(metrics:[\"clicks\"], groupBy:[\"offer\"], from:\"2026-10-24\", to:\"2026-10-27\", sort:\"offer\") { columns rows } }").json();
        assertThat(own.get("data").get("report").get("rows")).hasSize(2);
        assertThat(own.get("data").get("report").get("rows").get(0).get(1).asText()).isEqualTo("4");
    }

    @Test
    void graphQlCellsAreTypedNumbersMoneyWithItsCurrencyAndText() {
        JsonNode report = graphql(key, "{ report(metrics:[\"clicks\",\"cr\",\"revenue\"], groupBy:[\"day\"], from:\"2026-10-24\", "
                + "to:\"2026-10-25\") { columns cells { column text number amount currency } } }").json();
        assertThat(report.path("errors").isMissingNode()).as(report.toString()).isTrue();
        JsonNode row = report.at("/data/report/cells/0");
        Map<String, JsonNode> cells = new java.util.LinkedHashMap<>();
        row.forEach(c -> cells.put(c.get("column").asText(), c));
        assertThat(cells.get("day").get("text").asText()).isEqualTo("2026-10-24");
        assertThat(cells.get("day").get("number").isNull()).isTrue();
        assertThat(cells.get("clicks").get("number").isNumber()).as(row.toString()).isTrue();
        assertThat(cells.get("clicks").get("number").asDouble()).isEqualTo(1.0);
        assertThat(cells.get("cr").get("number").asDouble()).isEqualTo(1.0);
        assertThat(cells.get("revenue_EUR").get("amount").asText()).isEqualTo("3.00");
        assertThat(cells.get("revenue_EUR").get("currency").asText()).isEqualTo("EUR");
        assertThat(cells.get("revenue_EUR").get("number").isNull()).isTrue();
        assertThat(cells.get("revenue_converted_EUR").get("currency").asText()).isEqualTo("EUR");

        JsonNode log = graphql(key, "{ conversionLog(filters:[{name:\"click_id\", values:[\"" + data.clicks.get("c1") + "\"]}]) "
                + "{ cells { column text amount currency } } }").json();
        assertThat(log.path("errors").isMissingNode()).as(log.toString()).isTrue();
        Map<String, JsonNode> conversion = new java.util.LinkedHashMap<>();
        log.at("/data/conversionLog/cells/0").forEach(c -> conversion.put(c.get("column").asText(), c));
        assertThat(conversion.get("revenue").get("amount").asText()).matches("\\d+\\.\\d{2}");
        assertThat(conversion.get("revenue").get("currency").asText()).as("from the row's currency column")
                .isEqualTo(conversion.get("currency").get("text").asText()).isIn("EUR", "USD");
        assertThat(conversion.get("status").get("text").isTextual()).isTrue();
    }

    @Test
    void anAffiliateSeesOnlyItsOwnTrafficAndAnAdvertiserOnlyItsOffers() {
        ReportQuery query = reportRequests.report(Map.of("metrics", List.of("clicks,conversions"),
                "from", List.of("2026-10-24"), "to", List.of("2026-10-27")), java.time.ZoneId.of("Europe/Berlin"));
        ReportTable affiliate = reportService.report(scopedSearch.scope(new Caller(TenantId.of(tenantId), data.id("A2"), Role.AFFILIATE)),
                query, false, 0);
        assertThat(affiliate.rows().get(0)).containsExactly(2L, 2L);
        ReportTable advertiser = reportService.report(scopedSearch.scope(new Caller(TenantId.of(tenantId), data.id("ADV2"), Role.ADVERTISER)),
                query, false, 0);
        assertThat(advertiser.rows().get(0)).containsExactly(2L, 2L);
    }

    @Test
    void rebuildReplaysIntoANewIndexAndGivesIdenticalReportsWithoutSideEffects() throws java.io.IOException {
        String path = "/api/v1/reports?metrics=" + ALL + "&groupBy=day,offer,country" + RANGE;
        String before = get(path).toString();
        // Click counts from the rollups of whole hours and from click documents at the edges.
        String rollupPath = "/api/v1/reports?metrics=" + ALL + "&groupBy=hour,offer,affiliate&from=2026-10-24T21:10:00Z&to=2026-10-26T00:30:00Z";
        ReportQuery rollupQuery = reportRequests.report(Map.of("metrics", List.of(ALL), "groupBy", List.of("hour,offer,affiliate"),
                "from", List.of("2026-10-24T21:10:00Z"), "to", List.of("2026-10-26T00:30:00Z")), java.time.ZoneId.of("Europe/Berlin"));
        assertThat(reportService.usesRollups(rollupQuery, java.time.ZoneId.of("Europe/Berlin"))).isTrue();
        String rollupBefore = get(rollupPath).toString();
        assertThat(rows(get(rollupPath)).stream().mapToLong(r -> (Long) r.get("clicks")).sum()).isEqualTo(6L);
        String prefix = System.getenv().getOrDefault("AFFNET_ES_INDEX_PREFIX", "affnet-test-");
        String clicksAlias = prefix + "clicks";
        String rollupsAlias = prefix + "click-rollups";
        // Counted for this tenant only: other test runs share the database and append meanwhile.
        long events = tenantEvents();
        Long commissions = jdbc.queryForObject("SELECT count(*) FROM affiliate_commission WHERE tenant_id = ?", Long.class, tenantId);
        assertThat(send("POST", "/api/v1/admin/views/reports/rebuild", key, null).status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/admin/views/nope/rebuild", OPERATOR_KEY, null).status()).isEqualTo(404);
        Response started = send("POST", "/api/v1/admin/views/reports/rebuild", OPERATOR_KEY, null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(
                send("GET", "/api/v1/admin/views/reports/rebuild", OPERATOR_KEY, null).json().get("state").asText()).isEqualTo("DONE"));
        JsonNode finished = send("GET", "/api/v1/admin/views/reports/rebuild", OPERATOR_KEY, null).json();
        assertThat(finished.at("/progress/percent").asDouble()).as(finished.toString()).isEqualTo(100.0);
        assertThat(finished.at("/progress/eventsDone").asLong()).isEqualTo(finished.at("/progress/eventsTotal").asLong())
                .isGreaterThanOrEqualTo(events);
        String newIndex = finished.get("indices").get(clicksAlias).asText();
        assertThat(newIndex).matches(clicksAlias + "-v\\d+").isNotEqualTo(clicksAlias + "-v1");
        assertThat(send("GET", "/api/v1/admin/views/reports/rebuild", OPERATOR_KEY, null).json().get("indices").get(rollupsAlias).asText())
                .matches(rollupsAlias + "-v\\d+").isNotEqualTo(rollupsAlias + "-v1");
        // Loaded with refreshes off and an asynchronous translog; serving with the live settings.
        var settings = elasticsearch.indices().getSettings(r -> r.index(newIndex)).get(newIndex).settings().index();
        assertThat(settings.refreshInterval().time()).as("the live refresh interval, affnet.reports.refresh-interval").isEqualTo("500ms");
        assertThat(settings.translog().durability().jsonValue()).isEqualTo("request");
        assertThat(settings.numberOfReplicas()).isEqualTo("0");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(path).toString()).isEqualTo(before));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(rollupPath).toString()).isEqualTo(rollupBefore));
        // The rebuilt rollups count every click, so the reports keep using them.
        views.forgetRollupState();
        assertThat(reportService.usesRollups(rollupQuery, java.time.ZoneId.of("Europe/Berlin"))).isTrue();
        assertThat(tenantEvents()).isEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM affiliate_commission WHERE tenant_id = ?", Long.class, tenantId))
                .isEqualTo(commissions);
    }

    long tenantEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ANY (?)", Long.class,
                (Object) data.clicks.values().toArray(new String[0]));
    }

    void assertBadRequest(String path, String detail) {
        Response r = send("GET", path, key, null);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains(detail);
    }

    JsonNode get(String path) {
        Response r = send("GET", path, key, null);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json();
    }

    Response graphql(String apiKey, String query) {
        return send("POST", "/graphql", apiKey, JSON.createObjectNode().put("query", query).toString());
    }

    /** Rows of a report answer as column → value (counts as Long, rates as Double, money as String). */
    static List<Map<String, Object>> rows(JsonNode table) {
        List<String> columns = new ArrayList<>();
        table.get("columns").forEach(c -> columns.add(c.asText()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode row : table.get("rows")) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                JsonNode v = row.get(i);
                m.put(columns.get(i), v.isNull() ? null : v.isIntegralNumber() ? (Object) v.asLong()
                        : v.isNumber() ? (Object) v.asDouble() : v.asText());
            }
            out.add(m);
        }
        return out;
    }

    static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> rows, String column) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        rows.forEach(r -> out.put((String) r.get(column), r));
        return out;
    }

}
