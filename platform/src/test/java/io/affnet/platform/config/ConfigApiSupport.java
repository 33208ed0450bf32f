package io.affnet.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests that set up a tenant's configuration through the public API, for the configuration ITs. */
abstract class ConfigApiSupport extends PlatformIT {

    static String advertiserJson(String name) {
        return "{\"name\":\"" + name + "\",\"defaultCurrency\":\"EUR\"}";
    }

    static String offerJson(String advertiserId, String status) {
        return """
                {"name":"Summer sale","advertiserId":"%s",
                 "destinationUrl":"https://shop.example/land?cid={click_id}&aff={affiliate_id}&s1={sub1}",
                 "currency":"EUR","status":"%s",
                 "goals":[{"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}},
                          {"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}],
                 "caps":{"daily":100,"perAffiliateDaily":10},
                 "allowedCountries":["DE","AT"],"allowedDeviceClasses":["phone","desktop"],
                 "fallbackUrl":"https://shop.example/fallback"}""".formatted(advertiserId, status);
    }

    static String affiliateJson(String offerId, String goal, String status) {
        String overrides = offerId == null ? "[]"
                : "[{\"offerId\":\"" + offerId + "\",\"goal\":\"" + goal + "\",\"payout\":{\"amount\":\"2.50\",\"currency\":\"EUR\"}}]";
        return "{\"name\":\"Deals Blog\",\"email\":\"ops@deals.example\",\"status\":\"" + status
                + "\",\"payoutOverrides\":" + overrides + "}";
    }

    static String linkJson(String affiliateId, String offerIds, String policy) {
        return "{\"affiliateId\":\"" + affiliateId + "\",\"offerIds\":" + offerIds
                + (policy == null ? "" : ",\"policy\":\"" + policy + "\",\"policyParams\":{\"prior\":\"1\"}")
                + ",\"status\":\"ACTIVE\"}";
    }

    String create(String path, String key, String body) {
        Response r = send("POST", path, key, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A tenant with one advertiser, offer (goals sale and lead), affiliate and plain link. */
    record Setup(String tenantId, String key, String advertiserId, String offerId, String affiliateId, String linkId,
                 String code) {
    }

    Setup setUpTenant(String stem) {
        String[] tenant = registerTenant(uniqueSlug(stem));
        String key = tenant[1];
        String advertiserId = create("/api/v1/advertisers", key, advertiserJson("Shop GmbH"));
        String offerId = create("/api/v1/offers", key, offerJson(advertiserId, "ACTIVE"));
        String affiliateId = create("/api/v1/affiliates", key, affiliateJson(offerId, "sale", "ACTIVE"));
        Response link = send("POST", "/api/v1/links", key, linkJson(affiliateId, "[\"" + offerId + "\"]", null));
        assertThat(link.status()).as(link.body()).isEqualTo(201);
        JsonNode body = link.json();
        return new Setup(tenant[0], key, advertiserId, offerId, affiliateId, body.get("id").asText(),
                body.get("code").asText());
    }

    int configRows() {
        return jdbc.queryForObject("SELECT count(*) FROM config_entity", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM link_code", Integer.class);
    }
}
