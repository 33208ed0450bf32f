package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant with an advertiser, an offer, an affiliate, a link and an auditor key, made through the API. */
final class AuditTenant {

    final String tenantId;
    final String admin;
    final String auditor;
    final String advertiserId;
    final String offerId;
    final String affiliateId;
    final String linkCode;
    private final PlatformIT it;

    AuditTenant(PlatformIT it, String stem) {
        this.it = it;
        String[] t = it.registerTenant(PlatformIT.uniqueSlug(stem));
        tenantId = t[0];
        admin = t[1];
        advertiserId = post("/api/v1/advertisers", "{\"name\":\"Adv\",\"defaultCurrency\":\"EUR\"}").get("id").asText();
        offerId = post("/api/v1/offers", """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"sale","revenue":{"amount":"10.00","currency":"EUR"},"payout":{"amount":"7.00","currency":"EUR"}}]}"""
                .formatted(advertiserId)).get("id").asText();
        affiliateId = post("/api/v1/affiliates",
                "{\"name\":\"Aff\",\"email\":\"aff@example.com\",\"status\":\"ACTIVE\",\"payoutOverrides\":[]}").get("id").asText();
        linkCode = post("/api/v1/links", "{\"affiliateId\":\"" + affiliateId + "\",\"offerIds\":[\"" + offerId + "\"],\"status\":\"ACTIVE\"}")
                .get("code").asText();
        auditor = post("/api/v1/keys", "{\"role\":\"AUDITOR\"}").get("key").asText();
        // The click path learns of the link through its lookup cache, shortly after.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> it.send("GET", "/c/" + linkCode, null, null).status() == 302);
    }

    JsonNode post(String path, String body) {
        PlatformIT.Response r = it.send("POST", path, admin, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(201);
        return r.json();
    }
}
