package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant set up through the API for the tenancy tests: two advertisers with an offer each, two
 * affiliates with a link each (the "1" objects belong to the affiliate and advertiser whose keys the
 * fixture holds, the "2" objects to someone else of the same tenant), a postback token and a key for
 * every tenant role.
 */
final class TenantFixture {

    final PlatformIT it;
    final String tenantId;
    final String adminKeyId;
    final Map<Role, String> keys = new EnumMap<>(Role.class);
    final List<String> secrets = new ArrayList<>();
    String adv1, adv2, off1, off2, aff1, aff2, lnk1, lnk2, code1, code2, token, tokenId;

    private TenantFixture(PlatformIT it, String tenantId, String adminKey, String adminKeyId) {
        this.it = it;
        this.tenantId = tenantId;
        this.adminKeyId = adminKeyId;
        keys.put(Role.TENANT_ADMIN, adminKey);
        secrets.add(adminKey);
    }

    static TenantFixture create(PlatformIT it, String stem) {
        PlatformIT.Response r = it.send("POST", "/api/v1/tenants", PlatformIT.OPERATOR_KEY,
                "{\"slug\":\"" + PlatformIT.uniqueSlug(stem) + "\",\"name\":\"Tenant " + stem + "\",\"currency\":\"EUR\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        TenantFixture f = new TenantFixture(it, r.json().get("tenantId").asText(), r.json().get("adminKey").asText(),
                r.json().get("adminKeyId").asText());
        f.adv1 = f.create("/api/v1/advertisers", "{\"name\":\"Adv one\",\"defaultCurrency\":\"EUR\"}");
        f.adv2 = f.create("/api/v1/advertisers", "{\"name\":\"Adv two\",\"defaultCurrency\":\"EUR\"}");
        f.off1 = f.create("/api/v1/offers", offerJson(f.adv1));
        f.off2 = f.create("/api/v1/offers", offerJson(f.adv2));
        f.aff1 = f.create("/api/v1/affiliates", affiliateJson());
        f.aff2 = f.create("/api/v1/affiliates", affiliateJson());
        JsonNode l1 = f.post("/api/v1/links", linkJson(f.aff1, f.off1));
        JsonNode l2 = f.post("/api/v1/links", linkJson(f.aff2, f.off2));
        f.lnk1 = l1.get("id").asText();
        f.code1 = l1.get("code").asText();
        f.lnk2 = l2.get("id").asText();
        f.code2 = l2.get("code").asText();
        JsonNode token = f.post("/api/v1/postback-tokens", null);
        f.token = token.get("token").asText();
        f.tokenId = token.get("tokenId").asText();
        f.secrets.add(f.token);
        f.keys.put(Role.TENANT_ANALYST, f.newKey("{\"role\":\"TENANT_ANALYST\"}")[1]);
        f.keys.put(Role.AUDITOR, f.newKey("{\"role\":\"AUDITOR\"}")[1]);
        f.keys.put(Role.AFFILIATE, f.newKey("{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + f.aff1 + "\"}")[1]);
        f.keys.put(Role.ADVERTISER, f.newKey("{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + f.adv1 + "\"}")[1]);
        // The tenant's profile is read from its Elasticsearch view, which a projection fills shortly after.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                it.send("GET", "/api/v1/tenants/" + f.tenantId, PlatformIT.OPERATOR_KEY, null).status() == 200);
        return f;
    }

    String admin() {
        return keys.get(Role.TENANT_ADMIN);
    }

    /** Creates a key with the admin key; returns {keyId, key}. */
    String[] newKey(String body) {
        JsonNode k = post("/api/v1/keys", body);
        secrets.add(k.get("key").asText());
        return new String[]{k.get("keyId").asText(), k.get("key").asText()};
    }

    String newTokenId() {
        JsonNode t = post("/api/v1/postback-tokens", null);
        secrets.add(t.get("token").asText());
        return t.get("tokenId").asText();
    }

    /** The ids of this tenant that no caller of another tenant may ever see. */
    List<String> ids() {
        return List.of(tenantId, adminKeyId, adv1, adv2, off1, off2, aff1, aff2, lnk1, lnk2, code1, code2, tokenId);
    }

    String create(String path, String body) {
        return post(path, body).get("id").asText();
    }

    JsonNode post(String path, String body) {
        PlatformIT.Response r = it.send("POST", path, admin(), body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(201);
        return r.json();
    }

    static String offerJson(String advertiserId) {
        return """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}}]}"""
                .formatted(advertiserId);
    }

    static String affiliateJson() {
        return "{\"name\":\"Aff\",\"email\":\"aff@example.com\",\"status\":\"ACTIVE\",\"payoutOverrides\":[]}";
    }

    static String linkJson(String affiliateId, String offerId) {
        return "{\"affiliateId\":\"" + affiliateId + "\",\"offerIds\":[\"" + offerId + "\"],\"status\":\"ACTIVE\"}";
    }
}
