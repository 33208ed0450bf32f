package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import io.affnet.query.report.Dimension;
import io.affnet.query.report.Metric;
import io.affnet.query.report.ReportRequests;
import io.affnet.query.report.ReportService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The field matrix, generated from the code's own lists: every metric and dimension of a report (as
 * metric, group and filter), every column and filter of both logs, over REST JSON, CSV and GraphQL,
 * for every tenant role. Staff see everything; what an affiliate and an advertiser must not see is
 * written down here ({@link #DENIED}), independently of the grant table in the code, so a new metric,
 * dimension or column without a grant fails here (staff are refused it), and a grant that shows money
 * to the wrong side fails too. Every successful answer is also searched for the figures and ids the
 * role must never see (the revenue 111.10, the payout 77.77, the margin 33.33, affiliate ids, subs).
 */
class FieldVisibilityIT extends PlatformIT {

    static final List<Role> ROLES = List.of(Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE,
            Role.ADVERTISER);
    static final List<String> SUBS = IntStream.rangeClosed(1, 10).mapToObj(i -> "sub" + i).toList();

    /** What each role may not see, as "surface:field"; staff roles have no entry (they see everything). */
    static final Map<Role, Set<String>> DENIED = Map.of(
            Role.AFFILIATE, Set.of("metric:revenue", "metric:profit", "metric:rejected_reports", "dimension:advertiser",
                    "conversions:advertiser", "conversions:transaction_id", "conversions:rejection_reason", "conversions:flagged",
                    "conversions:revenue", "conversions:revenue_converted", "clicks:advertiser"),
            Role.ADVERTISER, advertiserDenied());

    private static Set<String> advertiserDenied() {
        Set<String> denied = new HashSet<>(Set.of("metric:payout", "metric:profit", "metric:epc", "conversions:payout",
                "conversions:payout_converted"));
        for (String identity : concat(List.of("affiliate", "link", "source"), SUBS)) {
            denied.add("dimension:" + identity);
            denied.add("conversions:" + identity);
            denied.add("clicks:" + identity);
        }
        return denied;
    }

    static boolean visible(Role role, String surface, String field) {
        return !DENIED.getOrDefault(role, Set.of()).contains(surface + ":" + field);
    }

    static Traffic traffic;
    static String affiliateId;
    static String linkId;
    static final Map<Role, String> keys = new EnumMap<>(Role.class);

    @BeforeEach
    void trafficWithOneSale() throws Exception {
        if (traffic != null) {
            return;
        }
        Traffic t = Traffic.tenant(this, "fields", false);
        String offer = t.offer("{}", 3600);
        affiliateId = t.affiliate("fields@example.com", "[]");
        String code = t.link(affiliateId, offer);
        linkId = send("GET", "/api/v1/links", t.key, null).json().get("items").get(0).get("id").asText();
        HttpResponse<String> click = http.send(HttpRequest.newBuilder(URI.create(base + "/c/" + code + "?sub1=subsecretvalue"))
                .header("User-Agent", Traffic.DESKTOP).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(click.statusCode()).isEqualTo(302);
        String cookie = click.headers().firstValue("Set-Cookie").orElseThrow();
        String clickId = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        // Revenue 10 % = 111.10, payout 7 % = 77.77, margin 33.33: figures that appear nowhere else.
        assertThat(t.postback("click_id=" + clickId + "&goal=sale&amount=1111.00&txn_id=TXNSECRET1").body()).isEqualTo("accepted");
        keys.put(Role.TENANT_ADMIN, t.key);
        keys.put(Role.TENANT_ANALYST, key(t, "{\"role\":\"TENANT_ANALYST\"}"));
        keys.put(Role.AUDITOR, key(t, "{\"role\":\"AUDITOR\"}"));
        keys.put(Role.AFFILIATE, key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + affiliateId + "\"}"));
        keys.put(Role.ADVERTISER, key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode items = send("GET", "/api/v1/reports/conversions", t.key, null).json().get("items");
            JsonNode clicks = send("GET", "/api/v1/reports/clicks", t.key, null).json().get("items");
            return items != null && items.size() == 1 && clicks != null && clicks.size() >= 1;
        });
        traffic = t;
    }

    private String key(Traffic t, String body) {
        Response r = send("POST", "/api/v1/keys", t.key, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    /** Strings a role must never find in an answer. */
    private static List<String> secrets(Role role) {
        List<String> secrets = new ArrayList<>();
        if (!DENIED.containsKey(role)) {
            return secrets;
        }
        secrets.add("33.33");
        if (role == Role.AFFILIATE) {
            secrets.addAll(List.of("111.1", traffic.advertiserId, "TXNSECRET1"));
        }
        if (role == Role.ADVERTISER) {
            secrets.addAll(List.of("77.77", affiliateId, linkId, "subsecretvalue"));
        }
        return secrets;
    }

    private final List<String> leaks = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();

    private Response get(Role role, String path, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + keys.get(role));
        if (accept != null) {
            b.header("Accept", accept);
        }
        try {
            HttpResponse<String> r = http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
            return checked(role, path, new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body()));
        } catch (Exception e) {
            throw new AssertionError(path, e);
        }
    }

    private Response graphql(Role role, String query) {
        Response r = send("POST", "/graphql", keys.get(role), "{\"query\":" + JSON.valueToTree(query) + "}");
        return checked(role, query, r);
    }

    private Response checked(Role role, String what, Response r) {
        if (r.status() / 100 == 2) {
            for (String secret : secrets(role)) {
                if (r.body().contains(secret)) {
                    leaks.add(role + " " + what + " shows '" + secret + "'");
                }
            }
        }
        return r;
    }

    /** 200 when visible, else a 403 problem of type field-forbidden (REST) or a FORBIDDEN error (GraphQL). */
    private void expect(Role role, String what, boolean visible, Response r, boolean graphql) {
        int status = graphql ? BolaMatrixIT.graphQlStatus(r) : r.status();
        int expected = visible ? 200 : 403;
        if (status != expected) {
            mismatches.add(role + " " + what + ": expected " + expected + ", got " + status + " " + abbreviate(r.body()));
        } else if (!visible && !graphql && (!r.contentType().startsWith("application/problem+json")
                || !r.json().get("type").asText().endsWith("/field-forbidden"))) {
            mismatches.add(role + " " + what + ": refusal is not a field-forbidden problem: " + r.contentType() + " " + r.body());
        }
    }

    private static String range() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return "from=" + today.minusDays(2) + "&to=" + today.plusDays(2);
    }

    @Test
    void reportsAnswerEachRoleOnlyItsMetricsAndDimensionsOverRestCsvAndGraphQl() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String gqlRange = "from: \"" + today.minusDays(2) + "\", to: \"" + today.plusDays(2) + "\"";
        for (Role role : ROLES) {
            for (Metric m : Metric.values()) {
                boolean visible = visible(role, "metric", m.apiName());
                Response json = get(role, "/api/v1/reports?metrics=" + m.apiName() + "&" + range(), null);
                expect(role, "metric " + m.apiName(), visible, json, false);
                if (visible && json.status() == 200) {
                    assertThat(json.json().get("columns").get(0).asText()).startsWith(m.apiName());
                }
                expect(role, "metric " + m.apiName() + " (csv)", visible,
                        get(role, "/api/v1/reports?format=csv&metrics=" + m.apiName() + "&" + range(), null), false);
                expect(role, "metric " + m.apiName() + " (graphql)", visible,
                        graphql(role, "{ report(metrics: [\"" + m.apiName() + "\"], " + gqlRange + ") { columns rows } }"), true);
            }
            for (Dimension d : Dimension.values()) {
                boolean visible = visible(role, "dimension", d.apiName());
                expect(role, "groupBy " + d.apiName(), visible,
                        get(role, "/api/v1/reports?metrics=clicks&groupBy=" + d.apiName() + "&" + range(), null), false);
                expect(role, "groupBy " + d.apiName() + " (graphql)", visible, graphql(role,
                        "{ report(metrics: [\"clicks\"], groupBy: [\"" + d.apiName() + "\"], " + gqlRange + ") { columns rows } }"), true);
                if (!d.isTime()) {
                    expect(role, "filter." + d.apiName(), visible,
                            get(role, "/api/v1/reports?metrics=clicks&filter." + d.apiName() + "=x&" + range(), "text/csv"), false);
                }
            }
            // No metrics asked for: the defaults, cut to what the role sees.
            Response defaults = get(role, "/api/v1/reports?groupBy=day&" + range(), null);
            assertThat(defaults.status()).as(defaults.body()).isEqualTo(200);
            for (JsonNode column : defaults.json().get("columns")) {
                String metric = column.asText().replaceAll("_(converted_)?[A-Z]{3}$", "");
                if (Metric.byName(metric).isPresent()) {
                    assertThat(visible(role, "metric", metric)).as(role + " default column " + column).isTrue();
                }
            }
            // Every metric and group the role may see at once, as JSON and CSV.
            String allMetrics = Arrays.stream(Metric.values()).map(Metric::apiName).filter(m -> visible(role, "metric", m))
                    .collect(Collectors.joining(","));
            get(role, "/api/v1/reports?metrics=" + allMetrics + "&groupBy=offer,country&" + range(), null);
            get(role, "/api/v1/reports?format=csv&metrics=" + allMetrics + "&groupBy=day&" + range(), null);
        }
        assertThat(mismatches).as("field visibility mismatches").isEmpty();
        assertThat(leaks).as("figures or ids shown to a role that must not see them").isEmpty();
    }

    @Test
    void logsShowEachRoleOnlyItsColumnsAndRefuseFiltersOnTheOthers() {
        for (Role role : ROLES) {
            for (boolean conversions : List.of(true, false)) {
                String surface = conversions ? "conversions" : "clicks";
                List<String> expected = (conversions ? ReportService.CONVERSION_COLUMNS : ReportService.CLICK_COLUMNS).stream()
                        .filter(c -> visible(role, surface, c)).toList();
                Response json = get(role, "/api/v1/reports/" + surface, null);
                assertThat(json.status()).as(role + " " + json.body()).isEqualTo(200);
                assertThat(json.json().get("items")).as(role + " " + surface).isNotEmpty();
                for (JsonNode item : json.json().get("items")) {
                    List<String> keys = new ArrayList<>();
                    item.fieldNames().forEachRemaining(keys::add);
                    assertThat(keys).as(role + " " + surface + " item fields").containsExactlyElementsOf(expected);
                }
                Response csv = get(role, "/api/v1/reports/" + surface + "?format=csv", null);
                assertThat(csv.status()).isEqualTo(200);
                assertThat(csv.body().lines().findFirst().orElse("")).as(role + " " + surface + " csv header")
                        .isEqualTo(String.join(",", expected));
                Response gql = graphql(role, "{ " + (conversions ? "conversionLog" : "clickLog") + " { columns rows } }");
                assertThat(BolaMatrixIT.graphQlStatus(gql)).as(gql.body()).isEqualTo(200);
                List<String> columns = new ArrayList<>();
                gql.json().at("/data/" + (conversions ? "conversionLog" : "clickLog") + "/columns").forEach(c -> columns.add(c.asText()));
                assertThat(columns).as(role + " " + surface + " graphql columns").containsExactlyElementsOf(expected);

                for (String filter : (conversions ? ReportRequests.CONVERSION_LOG_FILTERS : ReportRequests.CLICK_LOG_FILTERS).keySet()) {
                    String value = filter.equals("status") ? "approved" : "x";
                    expect(role, surface + " filter." + filter, visible(role, surface, filter),
                            get(role, "/api/v1/reports/" + surface + "?filter." + filter + "=" + value, null), false);
                }
            }
        }
        assertThat(mismatches).as("log filter mismatches").isEmpty();
        assertThat(leaks).as("figures or ids shown to a role that must not see them").isEmpty();
    }

    @Test
    void theDashboardAsksForWhatTheFieldsRouteSaysTheRoleSees() {
        for (Role role : ROLES) {
            Response r = get(role, "/api/v1/reports/fields", null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(names(r.json().get("metrics"))).as(role + " metrics").containsExactlyElementsOf(
                    Arrays.stream(Metric.values()).map(Metric::apiName).filter(m -> visible(role, "metric", m)).toList());
            assertThat(names(r.json().get("dimensions"))).as(role + " dimensions").containsExactlyElementsOf(
                    Arrays.stream(Dimension.values()).map(Dimension::apiName).filter(d -> visible(role, "dimension", d)).toList());
            assertThat(names(r.json().get("conversionLog"))).containsExactlyElementsOf(
                    ReportService.CONVERSION_COLUMNS.stream().filter(c -> visible(role, "conversions", c)).toList());
            assertThat(names(r.json().get("clickLog"))).containsExactlyElementsOf(
                    ReportService.CLICK_COLUMNS.stream().filter(c -> visible(role, "clicks", c)).toList());
        }
        Response balance = get(Role.ADVERTISER, "/api/v1/affiliates/" + affiliateId + "/balance", null);
        assertThat(balance.status()).isEqualTo(403);
        assertThat(get(Role.AFFILIATE, "/api/v1/affiliates/" + affiliateId + "/balance", null).body()).containsAnyOf("7777", "77.77");
        assertThat(leaks).isEmpty();
    }

    @Test
    void advertisersSeeWhoSentTheirTrafficOnlyOnceTheTenantSharesIt() {
        Response before = get(Role.ADVERTISER, "/api/v1/reports/conversions", null);
        assertThat(before.body()).doesNotContain(affiliateId).doesNotContain("subsecretvalue");
        assertThat(get(Role.ADVERTISER, "/api/v1/reports?metrics=clicks&groupBy=affiliate&" + range(), null).status()).isEqualTo(403);
        Response share = send("PUT", "/api/v1/report-sharing", keys.get(Role.TENANT_ADMIN), "{\"advertisersSeeAffiliates\":true}");
        assertThat(share.status()).as(share.body()).isEqualTo(200);
        try {
            assertThat(send("GET", "/api/v1/reports/sharing", keys.get(Role.TENANT_ANALYST), null).json()
                    .get("advertisersSeeAffiliates").asBoolean()).isTrue();
            Response grouped = send("GET", "/api/v1/reports?metrics=clicks,revenue&groupBy=affiliate,sub1&" + range(),
                    keys.get(Role.ADVERTISER), null);
            assertThat(grouped.status()).as(grouped.body()).isEqualTo(200);
            assertThat(grouped.body()).contains(affiliateId).contains("subsecretvalue").doesNotContain("77.77");
            JsonNode item = send("GET", "/api/v1/reports/conversions", keys.get(Role.ADVERTISER), null).json().get("items").get(0);
            assertThat(item.get("affiliate").asText()).isEqualTo(affiliateId);
            assertThat(item.get("link").asText()).isEqualTo(linkId);
            assertThat(item.has("payout")).isFalse();
            assertThat(send("GET", "/api/v1/reports?metrics=payout&" + range(), keys.get(Role.ADVERTISER), null).status()).isEqualTo(403);
        } finally {
            assertThat(send("PUT", "/api/v1/report-sharing", keys.get(Role.TENANT_ADMIN), "{\"advertisersSeeAffiliates\":false}")
                    .status()).isEqualTo(200);
        }
        assertThat(get(Role.ADVERTISER, "/api/v1/reports/conversions", null).body()).doesNotContain(affiliateId);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
