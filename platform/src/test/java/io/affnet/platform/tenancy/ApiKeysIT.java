package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiKeysIT extends PlatformIT {

    @Test
    void adminCreatesKeysPerRoleWhichResolveToTheirPrincipalAndAreListedWithoutSecrets() {
        TenantFixture t = TenantFixture.create(this, "keys");
        Response created = send("POST", "/api/v1/keys", t.admin(),
                "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + t.aff1 + "\",\"label\":\"Deals blog\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode key = created.json();
        assertThat(key.get("key").asText()).startsWith("afn_live_");
        assertThat(key.get("principalId").asText()).isEqualTo(t.aff1);

        // The affiliate key reads its own links and nothing of anyone else.
        Response links = send("GET", "/api/v1/links", key.get("key").asText(), null);
        assertThat(links.status()).isEqualTo(200);
        assertThat(links.json().get("items")).extracting(n -> n.get("id").asText()).containsExactly(t.lnk1);

        Response list = send("GET", "/api/v1/keys?limit=200", t.admin(), null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("items")).extracting(n -> n.get("keyId").asText())
                .contains(t.adminKeyId, key.get("keyId").asText());
        for (String secret : t.secrets) {
            assertThat(list.body()).doesNotContain(secret);
        }
        assertThat(list.body()).doesNotContain(key.get("key").asText()).doesNotContain("hash");
        String hash = jdbc.queryForObject("SELECT key_hash FROM api_key WHERE key_id = ?", String.class, key.get("keyId").asText());
        assertThat(list.body()).doesNotContain(hash);
    }

    @Test
    void lastUsedTimeAppearsAfterTheBatchedWrite() {
        TenantFixture t = TenantFixture.create(this, "keys-used");
        String analyst = t.keys.get(Role.TENANT_ANALYST);
        assertThat(send("GET", "/api/v1/offers", analyst, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode items = send("GET", "/api/v1/keys?limit=200", t.admin(), null).json().get("items");
            boolean used = false;
            for (JsonNode k : items) {
                if ("TENANT_ANALYST".equals(k.get("role").asText())) {
                    used = !k.get("lastUsedAt").isNull();
                }
            }
            assertThat(used).isTrue();
        });
    }

    @Test
    void rotationKeepsTheOldKeyWorkingForTheOverlapAndRevocationStopsAKeyAtOnce() {
        TenantFixture t = TenantFixture.create(this, "keys-rotate");
        String[] analyst = t.newKey("{\"role\":\"TENANT_ANALYST\"}");
        Response rotated = send("POST", "/api/v1/keys/" + analyst[0] + "/rotate?overlapSeconds=3600", t.admin(), null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        String replacement = rotated.json().get("key").asText();
        assertThat(send("GET", "/api/v1/offers", analyst[1], null).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/offers", replacement, null).status()).isEqualTo(200);
        // A key already replaced cannot be rotated again.
        assertThat(send("POST", "/api/v1/keys/" + analyst[0] + "/rotate", t.admin(), null).status()).isEqualTo(400);

        String newKeyId = rotated.json().get("keyId").asText();
        Response immediate = send("POST", "/api/v1/keys/" + newKeyId + "/rotate?overlapSeconds=0", t.admin(), null);
        assertThat(immediate.status()).isEqualTo(201);
        assertThat(send("GET", "/api/v1/offers", replacement, null).status()).isEqualTo(401);
        String third = immediate.json().get("key").asText();
        assertThat(send("GET", "/api/v1/offers", third, null).status()).isEqualTo(200);

        assertThat(send("DELETE", "/api/v1/keys/" + immediate.json().get("keyId").asText(), t.admin(), null).status()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/offers", third, null).status()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/keys/" + analyst[0] + "/rotate?overlapSeconds=99999999", t.admin(), null).status())
                .isEqualTo(400);
    }

    @Test
    void keysAreBoundToTheTenantsOwnAffiliatesAndAdvertisersAndRefuseForeignOrMissingOnes() {
        TenantFixture a = TenantFixture.create(this, "keys-a");
        TenantFixture b = TenantFixture.create(this, "keys-b");
        long before = eventCount();
        for (String body : List.of(
                "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + b.aff1 + "\"}",
                "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + b.adv1 + "\"}",
                "{\"role\":\"AFFILIATE\",\"affiliateId\":\"aff_missing\"}",
                "{\"role\":\"AFFILIATE\"}",
                "{\"role\":\"TENANT_ANALYST\",\"affiliateId\":\"" + a.aff1 + "\"}",
                "{\"role\":\"OPERATOR\"}",
                "{\"role\":\"KING\"}")) {
            Response r = send("POST", "/api/v1/keys", a.admin(), body);
            assertThat(r.status()).as(body + " " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(send("DELETE", "/api/v1/keys/" + b.adminKeyId, a.admin(), null).status()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/keys/" + b.adminKeyId + "/rotate", a.admin(), null).status()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/offers", b.admin(), null).status()).isEqualTo(200);
        assertThat(eventCount()).isEqualTo(before);
    }

    /** Mass assignment: request bodies are allow-lists; tenant, principal, status and amounts are never taken from them. */
    @Test
    void bodiesThatTryToSetTenantPrincipalStatusOrSecretsAreRefused() {
        TenantFixture a = TenantFixture.create(this, "mass-a");
        TenantFixture b = TenantFixture.create(this, "mass-b");
        long before = eventCount();
        List<String[]> attempts = List.of(
                new String[]{"POST", "/api/v1/keys", "{\"role\":\"TENANT_ADMIN\",\"tenantId\":\"" + b.tenantId + "\"}"},
                new String[]{"POST", "/api/v1/keys", "{\"role\":\"TENANT_ADMIN\",\"principalId\":\"operator\"}"},
                new String[]{"POST", "/api/v1/keys", "{\"role\":\"TENANT_ADMIN\",\"key\":\"afn_live_mine\"}"},
                new String[]{"POST", "/api/v1/keys", "{\"role\":\"TENANT_ADMIN\",\"keyHash\":\"00\"}"},
                new String[]{"POST", "/api/v1/advertisers", "{\"name\":\"X\",\"defaultCurrency\":\"EUR\",\"tenantId\":\"" + b.tenantId + "\"}"},
                new String[]{"POST", "/api/v1/affiliates", "{\"name\":\"X\",\"email\":\"x@example.com\",\"balance\":{\"minor\":100000,\"currency\":\"EUR\"}}"},
                new String[]{"PUT", "/api/v1/offers/" + a.off1, TenantFixture.offerJson(a.adv1).replace("\"name\"", "\"version\":99,\"name\"")},
                new String[]{"POST", "/api/v1/links", "{\"affiliateId\":\"" + a.aff1 + "\",\"offerIds\":[\"" + a.off1 + "\"],\"code\":\"mine\"}"},
                new String[]{"POST", "/api/v1/tenants/" + a.tenantId + "/suspend", "{\"reason\":\"x\",\"status\":\"ACTIVE\"}"},
                new String[]{"PUT", "/api/v1/postback-settings", "{\"defaultStatus\":\"APPROVED\",\"tenantId\":\"" + b.tenantId + "\"}"},
                new String[]{"POST", "/api/v1/tenants", "{\"slug\":\"" + uniqueSlug("mass") + "\",\"name\":\"X\",\"status\":\"ACTIVE\",\"adminKeyHash\":\"00\"}"});
        for (String[] attempt : attempts) {
            String key = attempt[1].startsWith("/api/v1/tenants") ? OPERATOR_KEY : a.admin();
            Response r = send(attempt[0], attempt[1], key, attempt[2]);
            assertThat(r.status()).as(String.join(" ", attempt) + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).startsWith("Unknown field");
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void eventsWrittenThroughTheApiRecordWhoDidIt() throws Exception {
        TenantFixture t = TenantFixture.create(this, "who");
        String[] key = t.newKey("{\"role\":\"AUDITOR\"}");
        byte[] metadata = jdbc.queryForObject("""
                SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE '%ApiKeyIssuedEvent'
                ORDER BY sequencenumber DESC LIMIT 1""", byte[].class, t.tenantId);
        JsonNode who = JSON.readTree(new String(metadata, StandardCharsets.UTF_8));
        assertThat(who.get("principalId").asText()).isEqualTo("admin");
        assertThat(who.get("tenantId").asText()).isEqualTo(t.tenantId);
        assertThat(who.get("role").asText()).isEqualTo("TENANT_ADMIN");

        byte[] offerMetadata = jdbc.queryForObject("""
                SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber LIMIT 1""",
                byte[].class, t.off1);
        assertThat(JSON.readTree(new String(offerMetadata, StandardCharsets.UTF_8)).get("principalId").asText()).isEqualTo("admin");

        byte[] registration = jdbc.queryForObject("""
                SELECT metadata FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = 0""",
                byte[].class, t.tenantId);
        assertThat(JSON.readTree(new String(registration, StandardCharsets.UTF_8)).get("role").asText()).isEqualTo("OPERATOR");
        assertThat(key[0]).startsWith("key_");
    }
}
