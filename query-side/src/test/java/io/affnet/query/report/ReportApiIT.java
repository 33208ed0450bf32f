package io.affnet.query.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.report.ReportIndices;
import io.affnet.api.report.ReportSchema;
import io.affnet.api.tenant.TenantDocument;
import io.affnet.api.view.ViewAliases;
import io.affnet.query.tenant.TenantQueryHandler;
import io.affnet.web.auth.Caller;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.testing.PostgresSchema;
import io.affnet.web.testing.StandaloneApi;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The report API over the real stores: report documents of two tenants in Elasticsearch indices of this
 * test's own prefix, the tenant view beside them, and the tenant's report-sharing row in a PostgreSQL
 * schema of its own (the platform's migrations). Each caller sees its tenant's rows, its own slice of them and only the fields its
 * role may see; bad requests are problem documents. The controller runs in standalone MockMvc with the
 * platform's role check, {@code Caller} parameter and problem advice.
 */
class ReportApiIT {

    private static final String A = "t_qs_a_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "t_qs_b_" + UUID.randomUUID().toString().substring(0, 8);
    private static final long T0 = Instant.parse("2026-11-10T12:00:00Z").toEpochMilli();
    private static final String FROM = "2026-11-01";
    private static final String TO = "2026-12-01";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static String prefix;
    private static final List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static RestClient rest;
    private static ElasticsearchClient es;
    private static PostgresSchema schema;
    private static TenantScopedSearch search;
    private static MockMvc api;

    @BeforeAll
    static void stores() throws IOException {
        // Under the run's prefix (./affnet test drops its indices afterwards), then one of this class's own.
        prefix = env("AFFNET_ES_INDEX_PREFIX", "affnet-") + "qs-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        rest = RestClient.builder(HttpHost.create(env("AFFNET_ES_URL", "http://127.0.0.1:9200"))).build();
        es = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(JSON)));
        ViewAliases views = (view, version, mapping) -> index(prefix + view + "-v" + version, mapping);
        String conversions = index(prefix + ReportSchema.CONVERSIONS, ReportSchema.MAPPING);
        String clicks = index(prefix + ReportSchema.CLICKS, ReportSchema.MAPPING);
        ReportIndices indices = new ReportIndices() {
            public String clicksAlias() {
                return clicks;
            }

            public String conversionsAlias() {
                return conversions;
            }

            public String rollupsAlias() {
                return prefix + ReportSchema.ROLLUPS;
            }

            public boolean rollupsComplete() {
                return false;
            }
        };
        String tenants = views.ensure(TenantDocument.VIEW, TenantDocument.VERSION, TenantDocument.MAPPING);
        tenant(tenants, A, "Europe/Berlin", "EUR");
        tenant(tenants, B, "America/New_York", "USD");
        // A: affiliate aff_1 on adv_1's offer (3), aff_2 on adv_2's (1); B: its own aff_1 (the same id) on adv_1's (1).
        conversion(conversions, A, "cnv_a1", "aff_1", "adv_1", "off_1", T0);
        conversion(conversions, A, "cnv_a2", "aff_1", "adv_1", "off_1", T0 + 60_000);
        conversion(conversions, A, "cnv_a3", "aff_1", "adv_1", "off_1", T0 + 120_000);
        conversion(conversions, A, "cnv_a4", "aff_2", "adv_2", "off_2", T0 + 180_000);
        conversion(conversions, B, "cnv_b1", "aff_1", "adv_1", "off_1", T0 + 240_000);
        es.indices().refresh(r -> r.index(conversions));

        schema = PostgresSchema.create();
        JdbcTemplate jdbc = schema.jdbc();
        jdbc.update("INSERT INTO tenant_report_sharing (tenant_id, advertisers_see_affiliates) VALUES (?, true)", A);

        ReportSharingReads sharing = new ReportSharingReads(jdbc);
        search = new TenantScopedSearch(es, new TenantQueryHandler(es, views), sharing);
        ReportService reports = new ReportService(search, indices, 1000, false);
        api = StandaloneApi.of(new ReportController(reports, new ReportRequests(400, 1000, 500), search, 100_000, sharing));
    }

    @AfterAll
    static void drop() throws IOException {
        try {
            if (!created.isEmpty()) {
                // By name: the server refuses wildcard deletes.
                es.indices().delete(d -> d.index(created).ignoreUnavailable(true));
            }
            if (rest != null) {
                rest.close();
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String index(String name, String mapping) {
        try {
            if (!es.indices().exists(e -> e.index(name)).value()) {
                es.indices().create(c -> c.index(name).mappings(m -> m.withJson(new StringReader(mapping))));
                created.add(name);
            }
            return name;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void tenant(String index, String id, String zone, String currency) throws IOException {
        TenantDocument document = new TenantDocument(id, id, "Tenant " + id, zone, currency, "ACTIVE", Instant.parse("2026-01-01T00:00:00Z"));
        es.index(i -> i.index(index).id(id).routing(id).document(document).refresh(Refresh.True));
    }

    private static void conversion(String index, String tenant, String id, String affiliate, String advertiser, String offer,
                                   long time) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(ReportSchema.KIND, ReportSchema.KIND_CONVERSION);
        d.put(ReportSchema.TENANT_ID, tenant);
        d.put(ReportSchema.CLICK_ID, "clk_" + id);
        d.put(ReportSchema.CONVERSION_ID, id);
        d.put(ReportSchema.TIME, time);
        d.put(ReportSchema.CLICKED_AT, time - 3_600_000);
        d.put(ReportSchema.LINK_ID, "lnk_" + affiliate);
        d.put(ReportSchema.OFFER_ID, offer);
        d.put(ReportSchema.ADVERTISER_ID, advertiser);
        d.put(ReportSchema.AFFILIATE_ID, affiliate);
        d.put("sub1", "newsletter");
        d.put(ReportSchema.COUNTRY, "DE");
        d.put(ReportSchema.GOAL, "sale");
        d.put(ReportSchema.TRANSACTION_ID, "order-" + id);
        d.put(ReportSchema.STATUS, "APPROVED");
        d.put(ReportSchema.CURRENCY, "EUR");
        d.put(ReportSchema.REVENUE_MINOR, 1000);
        d.put(ReportSchema.PAYOUT_MINOR, 250);
        d.put(ReportSchema.CONVERTED_CURRENCY, "EUR");
        d.put(ReportSchema.REVENUE_CONVERTED_MINOR, 1000);
        d.put(ReportSchema.PAYOUT_CONVERTED_MINOR, 250);
        es.index(i -> i.index(index).id(id).routing(tenant).document(d));
    }

    private static Caller caller(String tenant, Role role, String principal) {
        return new Caller(TenantId.of(tenant), principal, role);
    }

    private static ResultActions call(Caller caller, String path, String... params) throws Exception {
        var request = get(path);
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        if (caller != null) {
            request.requestAttr(Caller.REQUEST_ATTRIBUTE, caller);
        }
        return api.perform(request);
    }

    private static JsonNode body(ResultActions result) throws Exception {
        return JSON.readTree(result.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private static List<String> conversionIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("conversion_id").asText()));
        return ids;
    }

    @Test
    void everySearchIsHeldToTheCallersTenantAndItsOwnSlice() {
        List<String> index = List.of(prefix + ReportSchema.CONVERSIONS);
        assertThat(search.count(search.scope(caller(A, Role.TENANT_ADMIN, "key_a")), index, null)).isEqualTo(4);
        assertThat(search.count(search.scope(caller(A, Role.AFFILIATE, "aff_1")), index, null)).isEqualTo(3);
        assertThat(search.count(search.scope(caller(A, Role.ADVERTISER, "adv_2")), index, null)).isEqualTo(1);
        assertThat(search.count(search.scope(caller(B, Role.TENANT_ANALYST, "key_b")), index, null)).isEqualTo(1);
        assertThat(search.count(search.scope(caller(B, Role.AFFILIATE, "aff_1")), index, null))
                .as("B's aff_1 is not A's aff_1").isEqualTo(1);
        // A query can narrow the scope, never widen it.
        assertThat(search.count(search.scope(caller(A, Role.TENANT_ADMIN, "key_a")), index,
                TenantScopedSearch.term(ReportSchema.TENANT_ID, B))).isZero();
        assertThat(search.count(search.scope(caller(A, Role.AFFILIATE, "aff_1")), index,
                TenantScopedSearch.term(ReportSchema.AFFILIATE_ID, "aff_2"))).isZero();
    }

    @Test
    void theScopeTakesTheTenantsZoneAndCurrencyFromItsViewAndRefusesTheOperator() {
        TenantScopedSearch.Scope a = search.scope(caller(A, Role.AUDITOR, "key_a"));
        assertThat(a.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(a.currency()).isEqualTo("EUR");
        assertThat(search.scope(caller(B, Role.TENANT_ADMIN, "key_b")).currency()).isEqualTo("USD");
        assertThat(search.scope(caller(A, Role.ADVERTISER, "adv_1")).viewer().tenantSharesAffiliates()).isTrue();
        assertThat(search.scope(caller(B, Role.ADVERTISER, "adv_1")).viewer().tenantSharesAffiliates()).as("no row: no").isFalse();
        assertThatThrownBy(() -> search.scope(Caller.operator())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> search.scope(caller("t_qs_missing_" + UUID.randomUUID(), Role.TENANT_ADMIN, "k")))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(404));
    }

    @Test
    void anAffiliatesLogHasItsOwnRowsWithoutRevenueAndAnAdvertiserSeesWhoSentTrafficOnlyWhereTheTenantShares() throws Exception {
        JsonNode affiliate = body(call(caller(A, Role.AFFILIATE, "aff_1"), "/api/v1/reports/conversions"));
        assertThat(conversionIds(affiliate)).containsExactly("cnv_a3", "cnv_a2", "cnv_a1");
        affiliate.path("items").forEach(item -> {
            assertThat(item.has("payout")).isTrue();
            assertThat(item.has("revenue")).isFalse();
            assertThat(item.has("revenue_converted")).isFalse();
            assertThat(item.has("transaction_id")).isFalse();
            assertThat(item.has("advertiser")).isFalse();
        });
        JsonNode sharedAdvertiser = body(call(caller(A, Role.ADVERTISER, "adv_1"), "/api/v1/reports/conversions"));
        assertThat(conversionIds(sharedAdvertiser)).containsExactly("cnv_a3", "cnv_a2", "cnv_a1");
        JsonNode first = sharedAdvertiser.path("items").get(0);
        assertThat(first.has("revenue")).isTrue();
        assertThat(first.has("payout")).isFalse();
        assertThat(first.path("affiliate").asText()).isEqualTo("aff_1");
        JsonNode advertiser = body(call(caller(B, Role.ADVERTISER, "adv_1"), "/api/v1/reports/conversions"));
        assertThat(conversionIds(advertiser)).containsExactly("cnv_b1");
        assertThat(advertiser.path("items").get(0).has("affiliate")).isFalse();
        assertThat(advertiser.path("items").get(0).has("sub1")).isFalse();
    }

    @Test
    void theLogPagesNewestFirstThroughItsCursorWithoutRepeats() throws Exception {
        Caller admin = caller(A, Role.TENANT_ADMIN, "key_a");
        JsonNode first = body(call(admin, "/api/v1/reports/conversions", "pageSize", "3"));
        assertThat(conversionIds(first)).containsExactly("cnv_a4", "cnv_a3", "cnv_a2");
        String next = first.path("next").asText();
        assertThat(next).isNotBlank();
        JsonNode second = body(call(admin, "/api/v1/reports/conversions", "pageSize", "3", "cursor", next));
        assertThat(conversionIds(second)).containsExactly("cnv_a1");
        assertThat(second.path("next").isNull()).isTrue();
        // A cursor carries no tenant: B's page after A's last row is B's, not A's.
        assertThat(conversionIds(body(call(caller(B, Role.TENANT_ADMIN, "key_b"), "/api/v1/reports/conversions",
                "cursor", ReportRequests.encode((T0 + 300_000) + "|cnv_zz"))))).containsExactly("cnv_b1");
    }

    @Test
    void anAffiliatesReportAndCsvExportHaveOnlyItsColumns() throws Exception {
        JsonNode report = body(call(caller(A, Role.AFFILIATE, "aff_1"), "/api/v1/reports", "from", FROM, "to", TO, "groupBy", "offer"));
        List<String> columns = new ArrayList<>();
        report.path("columns").forEach(c -> columns.add(c.asText()));
        assertThat(columns).contains("offer", "conversions", "payout_EUR");
        assertThat(columns).noneMatch(c -> c.startsWith("revenue") || c.startsWith("profit"));
        assertThat(report.path("rows")).hasSize(1);
        assertThat(report.path("timezone").asText()).isEqualTo("Europe/Berlin");

        String csv = call(caller(A, Role.AFFILIATE, "aff_1"), "/api/v1/reports/conversions", "format", "csv")
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(List.of(lines[0].split(","))).contains("payout", "affiliate").doesNotContain("revenue", "transaction_id");
        assertThat(csv).doesNotContain("cnv_a4").doesNotContain("cnv_b1");
    }

    @Test
    void badRequestsAreProblemDocumentsNot500s() throws Exception {
        Caller admin = caller(A, Role.TENANT_ADMIN, "key_a");
        call(admin, "/api/v1/reports", "from", FROM, "to", TO, "metrics", "bogus")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/validation"))
                .andExpect(jsonPath("$.errors[0].field").value("metrics"));
        call(caller(A, Role.AFFILIATE, "aff_1"), "/api/v1/reports", "from", FROM, "to", TO, "metrics", "revenue")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/field-forbidden"));
        call(admin, "/api/v1/reports/conversions", "format", "xml")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("format"));
        call(admin, "/api/v1/reports/clicks", "cursor", "%%%")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("cursor"));
        call(Caller.operator(), "/api/v1/reports/conversions")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/forbidden"));
        call(caller(A, Role.AFFILIATE, "aff_1"), "/api/v1/reports/sharing").andExpect(status().isForbidden());
        call(null, "/api/v1/reports/conversions").andExpect(status().isUnauthorized());
    }
}
