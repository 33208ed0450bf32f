package io.affnet.query.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.web.TrackingDomains;
import io.affnet.web.auth.Caller;
import io.affnet.web.testing.PostgresSchema;
import io.affnet.web.testing.StandaloneApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The configuration reads on the real {@code config_entity} (the platform's migrations in a schema of this
 * test's own): another tenant's object is a 404 like a missing one, an affiliate or advertiser key reads
 * only its own objects, an advertiser never sees what the network pays, and lists page by id.
 */
class ConfigQueryControllerIT {

    private static final String A = "t_cq_a_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "t_cq_b_" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresSchema schema;
    private static MockMvc api;

    @BeforeAll
    static void schema() {
        schema = PostgresSchema.create();
        entity(A, ConfigEntityKinds.ADVERTISER, "adv_1", "{\"name\":\"Shop\"}");
        entity(A, ConfigEntityKinds.ADVERTISER, "adv_2", "{\"name\":\"Other shop\"}");
        entity(A, ConfigEntityKinds.OFFER, "off_1", """
                {"name":"Shoes","advertiserId":"adv_1","currency":"EUR",
                 "goals":[{"name":"sale","revenue":{"kind":"FIXED","value":1000},"payout":{"kind":"PERCENT","value":1250}}]}""");
        entity(A, ConfigEntityKinds.OFFER, "off_2", """
                {"name":"Hats","advertiserId":"adv_2","currency":"EUR",
                 "goals":[{"name":"sale","revenue":{"kind":"FIXED","value":900},"payout":{"kind":"FIXED","value":300}}]}""");
        entity(A, ConfigEntityKinds.AFFILIATE, "aff_1", "{\"name\":\"Pub one\"}");
        entity(A, ConfigEntityKinds.AFFILIATE, "aff_2", "{\"name\":\"Pub two\"}");
        entity(A, ConfigEntityKinds.LINK, "lnk_1", "{\"code\":\"Ab3\",\"affiliateId\":\"aff_1\",\"offerIds\":[\"off_1\"]}");
        entity(A, ConfigEntityKinds.LINK, "lnk_2", "{\"code\":\"Cd4\",\"affiliateId\":\"aff_2\",\"offerIds\":[\"off_1\"]}");
        for (int i = 1; i <= 5; i++) {
            entity(B, ConfigEntityKinds.OFFER, "off_b" + i, "{\"name\":\"B offer " + i + "\",\"advertiserId\":\"adv_1\",\"currency\":\"USD\",\"goals\":[]}");
        }
        schema.jdbc().update("INSERT INTO tracking_domain (host, tenant_id, position) VALUES (?, ?, 0)", A + ".track.example", A);
        TrackingDomains domains = new TrackingDomains(schema.jdbc(), 60_000, System::currentTimeMillis);
        api = StandaloneApi.of(new ConfigQueryController(new ConfigEntityReads(schema.jdbc()), JSON, domains));
    }

    @AfterAll
    static void drop() {
        if (schema != null) {
            schema.close();
        }
    }

    /** As the configuration projection writes it: the API's fields plus id and version. */
    private static void entity(String tenant, String kind, String id, String fields) {
        String body = "{\"id\":\"" + id + "\",\"version\":1," + fields.strip().substring(1);
        schema.jdbc().update("INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, 1, ?::jsonb)",
                tenant, kind, id, body);
    }

    private static ResultActions call(Caller caller, String path, String... params) throws Exception {
        var request = get(path).requestAttr(Caller.REQUEST_ATTRIBUTE, caller);
        for (int i = 0; i < params.length; i += 2) {
            request.param(params[i], params[i + 1]);
        }
        return api.perform(request);
    }

    private static JsonNode ok(ResultActions result) throws Exception {
        return JSON.readTree(result.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static Caller caller(String tenant, Role role, String principal) {
        return new Caller(TenantId.of(tenant), principal, role);
    }

    @Test
    void anotherTenantsObjectIsNotFoundLikeAMissingOneAndNeverListed() throws Exception {
        Caller adminA = caller(A, Role.TENANT_ADMIN, "key_a");
        call(adminA, "/api/v1/offers/off_b1").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/not-found"))
                .andExpect(jsonPath("$.detail").value("Offer not found"));
        call(adminA, "/api/v1/offers/off_404").andExpect(status().isNotFound()).andExpect(jsonPath("$.detail").value("Offer not found"));
        assertThat(ids(ok(call(adminA, "/api/v1/offers")))).containsExactly("off_1", "off_2");
        assertThat(ids(ok(call(caller(B, Role.TENANT_ANALYST, "key_b"), "/api/v1/offers")))).hasSize(5).allMatch(id -> id.startsWith("off_b"));
    }

    @Test
    void anAffiliateReadsItsOwnProfileAndLinksOnly() throws Exception {
        Caller affiliate = caller(A, Role.AFFILIATE, "aff_1");
        assertThat(ids(ok(call(affiliate, "/api/v1/links")))).containsExactly("lnk_1");
        assertThat(ids(ok(call(affiliate, "/api/v1/affiliates")))).containsExactly("aff_1");
        call(affiliate, "/api/v1/links/lnk_2").andExpect(status().isNotFound());
        call(affiliate, "/api/v1/affiliates/aff_2").andExpect(status().isNotFound());
        call(affiliate, "/api/v1/offers").andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/forbidden"));
        call(affiliate, "/api/v1/advertisers/adv_1").andExpect(status().isForbidden());
        // The click URL is on the tenant's tracking domain.
        ok(call(affiliate, "/api/v1/links/lnk_1"));
        call(affiliate, "/api/v1/links/lnk_1").andExpect(jsonPath("$.clickUrl").value("https://" + A + ".track.example/c/Ab3"));
    }

    @Test
    void anAdvertiserReadsItsOwnOffersWithRevenueButNeverWhatTheNetworkPays() throws Exception {
        Caller advertiser = caller(A, Role.ADVERTISER, "adv_1");
        JsonNode offers = ok(call(advertiser, "/api/v1/offers"));
        assertThat(ids(offers)).containsExactly("off_1");
        JsonNode goal = offers.path("items").get(0).path("goals").get(0);
        assertThat(goal.path("revenue").path("amount").asText()).isEqualTo("10.00");
        assertThat(goal.path("revenue").path("currency").asText()).isEqualTo("EUR");
        assertThat(goal.get("payout").isNull()).isTrue();
        call(advertiser, "/api/v1/offers/off_2").andExpect(status().isNotFound());
        call(advertiser, "/api/v1/affiliates").andExpect(status().isForbidden());
        // Staff see both sides, in the API's shapes.
        JsonNode staff = ok(call(caller(A, Role.AUDITOR, "key_a"), "/api/v1/offers/off_1")).path("goals").get(0);
        assertThat(staff.path("payout").path("percent").asText()).isEqualTo("12.5");
    }

    @Test
    void listsPageByIdWithTheLastIdSeenAndRefuseLimitsOutOfRange() throws Exception {
        Caller adminB = caller(B, Role.TENANT_ADMIN, "key_b");
        JsonNode first = ok(call(adminB, "/api/v1/offers", "limit", "2"));
        assertThat(ids(first)).containsExactly("off_b1", "off_b2");
        assertThat(first.path("next").asText()).isEqualTo("off_b2");
        JsonNode last = ok(call(adminB, "/api/v1/offers", "limit", "2", "after", "off_b4"));
        assertThat(ids(last)).containsExactly("off_b5");
        assertThat(last.get("next").isNull()).isTrue();
        call(adminB, "/api/v1/offers", "limit", "0").andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("limit"));
        call(adminB, "/api/v1/offers", "limit", "201").andExpect(status().isBadRequest());
        call(adminB, "/api/v1/offers", "limit", "ten").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/validation"));
        call(adminB, "/api/v1/offers", "after", "x".repeat(65)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("after"));
    }
}
