package io.affnet.platform.tenant;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.tenant.TenantDocument;
import io.affnet.platform.support.PlatformIT;
import io.affnet.projections.search.SearchIndices;
import io.affnet.projections.tenant.TenantProjection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TenantRegistrationIT extends PlatformIT {

    @Autowired
    StringRedisTemplate redis;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    SearchIndices indices;

    @Test
    void registeredTenantTravelsEveryHopToRestAndGraphQl() throws Exception {
        String slug = uniqueSlug("acme");
        Response created = send("POST", "/api/v1/tenants", OPERATOR_KEY,
                "{\"slug\":\"" + slug + "\",\"name\":\"Acme Ltd\",\"timezone\":\"Europe/Berlin\",\"currency\":\"EUR\"}");
        assertThat(created.status()).isEqualTo(201);
        String tenantId = created.json().get("tenantId").asText();
        String key = created.json().get("adminKey").asText();
        assertThat(key).startsWith("afn_live_").hasSizeGreaterThan(40);

        // Event store: the event is there, and it carries the key's hash, never the key.
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT payloadtype, payload FROM domainevententry WHERE aggregateidentifier = ?", tenantId);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("payloadtype")).isEqualTo("io.affnet.api.tenant.TenantRegisteredEvent");
        String payload = new String((byte[]) rows.get(0).get("payload"), StandardCharsets.UTF_8);
        assertThat(payload).contains(slug).doesNotContain(key);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_key WHERE tenant_id = ? AND key_hash <> ?",
                Integer.class, tenantId, key)).isEqualTo(1);

        // Projections: Redis lookup and Elasticsearch view.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(redis.opsForHash().get(TenantProjection.redisKey(tenantId), "slug")).isEqualTo(slug));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(elasticsearch.get(g -> g.index(indices.alias(TenantDocument.VIEW)).id(tenantId).routing(tenantId),
                        TenantDocument.class).found()).isTrue());

        Response rest = send("GET", "/api/v1/tenants/" + tenantId, key, null);
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.json().get("slug").asText()).isEqualTo(slug);
        assertThat(rest.json().get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(rest.body()).doesNotContain("afn_live_");

        Response graphql = send("POST", "/graphql", key,
                "{\"query\":\"{ tenant(id: \\\"" + tenantId + "\\\") { id slug name currency status } }\"}");
        assertThat(graphql.status()).isEqualTo(200);
        JsonNode tenant = graphql.json().at("/data/tenant");
        assertThat(tenant.get("slug").asText()).isEqualTo(slug);
        assertThat(tenant.get("currency").asText()).isEqualTo("EUR");
        assertThat(tenant.get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void anotherTenantsIdAnswersNotFoundLikeAMissingOne() {
        String[] a = registerTenant(uniqueSlug("alpha"));
        String[] b = registerTenant(uniqueSlug("beta"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(send("GET", "/api/v1/tenants/" + b[0], b[1], null).status()).isEqualTo(200));

        Response foreign = send("GET", "/api/v1/tenants/" + b[0], a[1], null);
        Response missing = send("GET", "/api/v1/tenants/t_doesnotexist", a[1], null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(foreign.json().get("detail")).isEqualTo(missing.json().get("detail"));

        Response graphql = send("POST", "/graphql", a[1],
                "{\"query\":\"{ tenant(id: \\\"" + b[0] + "\\\") { id slug } }\"}");
        assertThat(graphql.json().at("/data/tenant").isNull()).as(graphql.body()).isTrue();
        assertThat(graphql.json().at("/errors/0/extensions/classification").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void missingOrWrongKeyIsUnauthorized() {
        for (String key : new String[]{null, "", "afn_live_notarealkey", "test-operator-key-wrong"}) {
            Response r = send("GET", "/api/v1/tenants/t_x", key, null);
            assertThat(r.status()).as("key %s", key).isEqualTo(401);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).endsWith("/unauthenticated");
        }
        assertThat(send("POST", "/graphql", "afn_live_nope", "{\"query\":\"{ tenant { id } }\"}").status()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/tenants", null, "{\"slug\":\"nokey\",\"name\":\"x\"}").status()).isEqualTo(401);
    }

    @Test
    void tenantKeyCannotRegisterTenants() {
        String[] a = registerTenant(uniqueSlug("gamma"));
        Response r = send("POST", "/api/v1/tenants", a[1], "{\"slug\":\"" + uniqueSlug("delta") + "\",\"name\":\"x\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void badRegistrationsAreProblemsAndWriteNothing() {
        String taken = uniqueSlug("taken");
        registerTenant(taken);
        Map<String, String> bad = Map.ofEntries(
                Map.entry("{}", "validation"),
                Map.entry("{\"name\":\"No slug\"}", "validation"),
                Map.entry("{\"slug\":\"ok-slug-1\"}", "validation"),
                Map.entry("{\"slug\":123,\"name\":[1,2]}", "malformed-body"),
                Map.entry("{\"slug\":\"Bad Slug!\",\"name\":\"x\"}", "validation"),
                Map.entry("{\"slug\":\"" + "a".repeat(41) + "\",\"name\":\"x\"}", "validation"),
                Map.entry("{\"slug\":\"ok-slug-2\",\"name\":\"" + "n".repeat(201) + "\"}", "validation"),
                Map.entry("{\"slug\":\"ok-slug-3\",\"name\":\"x\",\"timezone\":\"Mars/Base\"}", "validation"),
                Map.entry("{\"slug\":\"ok-slug-4\",\"name\":\"x\",\"currency\":\"XYZ\"}", "validation"),
                Map.entry("{\"slug\":\"ok-slug-5\",\"name\":\"x\",\"tenantId\":\"t_evil\"}", "malformed-body"),
                Map.entry("{\"slug\":\"ok-slug-6\",", "malformed-body"),
                Map.entry("{\"slug\":\"" + taken + "\",\"name\":\"Again\"}", "duplicate-slug"));
        long eventsBefore = eventCount();
        int slugsBefore = jdbc.queryForObject("SELECT count(*) FROM tenant_slug", Integer.class);
        bad.forEach((body, type) -> {
            Response r = send("POST", "/api/v1/tenants", OPERATOR_KEY, body);
            assertThat(r.status()).as(body).isBetween(400, 499);
            assertThat(r.contentType()).as(body).startsWith("application/problem+json");
            assertThat(r.json().get("type").asText()).as(body).endsWith("/" + type);
            assertThat(r.json().get("detail").asText()).as(body).isNotBlank().doesNotContain("Exception");
        });
        assertThat(eventCount()).isEqualTo(eventsBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tenant_slug", Integer.class)).isEqualTo(slugsBefore);
    }
}
