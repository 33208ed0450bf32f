package io.affnet.platform.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationValidationIT extends ConfigApiSupport {

    /** One bad request: method, path, body, and a word its problem's detail must contain. */
    record Bad(String method, String path, String body, String detailMentions) {
    }

    @Test
    void badInputIsAProblemNamingItAndWritesNothing() {
        Setup s = setUpTenant("cfg-bad");
        String offer = offerJson(s.advertiserId(), "ACTIVE");
        String aff = s.affiliateId();
        String oneOffer = "[\"" + s.offerId() + "\"]";
        List<Bad> bad = new ArrayList<>(List.of(
                new Bad("POST", "/api/v1/advertisers", "{}", "name"),
                new Bad("POST", "/api/v1/advertisers", "{\"name\":\"" + "n".repeat(201) + "\",\"defaultCurrency\":\"EUR\"}", "200"),
                new Bad("POST", "/api/v1/advertisers", "{\"name\":\"A\",\"defaultCurrency\":\"EURO\"}", "ISO-4217"),
                new Bad("POST", "/api/v1/advertisers", "{\"name\":\"A\",\"defaultCurrency\":\"EUR\",\"tenantId\":\"t_evil\"}", "tenantId"),
                new Bad("POST", "/api/v1/advertisers", "{\"name\":", "JSON"),
                new Bad("PUT", "/api/v1/advertisers/" + s.advertiserId(), "{\"name\":\" \",\"defaultCurrency\":\"EUR\"}", "name"),
                new Bad("POST", "/api/v1/offers", offer.replace("{sub1}", "{sub11}"), "{sub11}"),
                new Bad("POST", "/api/v1/offers", offer.replace("{click_id}", "{payout}"), "{payout}"),
                new Bad("POST", "/api/v1/offers", offer.replace("https://shop.example/land", "ftp://shop.example/land"), "http"),
                new Bad("POST", "/api/v1/offers", offer.replace("https://shop.example/land", "/land"), "http"),
                new Bad("POST", "/api/v1/offers", offer.replace("https://shop.example/land", "https://shop.example/" + "p".repeat(2050)), "2048"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"EUR\"", "\"XXQ\""), "ISO-4217"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"ACTIVE\"", "\"RUNNING\""), "status"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"lead\"", "\"sale\""), "twice"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"lead\"", "\"" + "g".repeat(65) + "\""), "64"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"value\":1000", "\"value\":10001"), "100 %"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"value\":300", "\"value\":-1"), "negative"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"kind\":\"FIXED\"", "\"kind\":\"BONUS\""), "kind"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"daily\":100", "\"daily\":-5"), "cap"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"DE\"", "\"de\""), "ISO-3166"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"phone\"", "\"smartwatch\""), "desktop, phone, tablet"),
                new Bad("POST", "/api/v1/offers", offer.replace("https://shop.example/fallback", "javascript:alert(1)"), "fallbackUrl"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"caps\"", "\"attributionWindowSeconds\":0,\"caps\""), "attributionWindowSeconds"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"caps\"", "\"attributionWindowSeconds\":31622400,\"caps\""), "365 days"),
                new Bad("POST", "/api/v1/offers", offer.replace(s.advertiserId(), "adv_missing"), "adv_missing"),
                new Bad("POST", "/api/v1/offers", offer.replaceAll("(?s)\"goals\":\\[.*?]\\s*,\\s*\"caps\"", "\"goals\":[],\"caps\""), "goal"),
                new Bad("PUT", "/api/v1/offers/" + s.offerId(), offer.replace("\"status\":\"ACTIVE\",", ""), "status"),
                new Bad("POST", "/api/v1/affiliates", affiliateJson(null, null, "ACTIVE").replace("ops@deals.example", "nobody"), "email"),
                new Bad("POST", "/api/v1/affiliates", affiliateJson(s.offerId(), "deposit", "ACTIVE"), "deposit"),
                new Bad("POST", "/api/v1/affiliates", affiliateJson("off_missing", "sale", "ACTIVE"), "off_missing"),
                new Bad("PUT", "/api/v1/affiliates/" + aff, affiliateJson(null, null, "BANNED"), "status"),
                new Bad("POST", "/api/v1/links", linkJson(aff, "[]", null), "offer"),
                new Bad("POST", "/api/v1/links", linkJson(aff, "[\"" + s.offerId() + "\",\"" + s.offerId() + "\"]", null), "twice"),
                new Bad("POST", "/api/v1/links", linkJson(aff, oneOffer, "epsilon-greedy"), "uniform, weights, binom, voluum, thompson-epc, contextual"),
                new Bad("POST", "/api/v1/links", linkJson("aff_missing", oneOffer, null), "aff_missing"),
                new Bad("POST", "/api/v1/links", linkJson(aff, oneOffer, null).replace("}", ",\"code\":\"mine\"}"), "code"),
                new Bad("PUT", "/api/v1/links/" + s.linkId(), linkJson(aff, "[\"off_missing\"]", null), "off_missing")));

        long events = eventCount();
        int rows = configRows();
        for (Bad b : bad) {
            Response r = send(b.method(), b.path(), s.key(), b.body());
            String what = b.method() + " " + b.path() + " " + b.body();
            assertThat(r.status()).as(what + " -> " + r.body()).isBetween(400, 499);
            assertThat(r.contentType()).as(what).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).as(what).contains(b.detailMentions()).doesNotContain("Exception");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(configRows()).isEqualTo(rows);
    }
}
