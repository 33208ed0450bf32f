package io.affnet.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
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
                new Bad("POST", "/api/v1/offers", offer.replace("\"percent\":\"10\"", "\"percent\":\"100.5\""), "at most 100"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"percent\":\"10\"", "\"percent\":\"10.125\""), "more than 2 decimals"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"amount\":\"3.00\"", "\"amount\":\"-3.00\""), "negative"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"amount\":\"3.00\"", "\"amount\":\"10.555\""),
                        "goals[1].revenue.amount \"10.555\" has more decimals than EUR has (2 decimals)"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"amount\":\"3.00\"", "\"amount\":10.5"), "not the JSON number 10.5"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"amount\":\"3.00\"", "\"amount\":\"1000000000.01\""), "at most 1000000000 EUR"),
                new Bad("POST", "/api/v1/offers", offer.replace("\"amount\":\"2.00\",\"currency\":\"EUR\"", "\"amount\":\"2.00\",\"currency\":\"USD\""),
                        "the offer pays in EUR"),
                new Bad("POST", "/api/v1/offers", offer.replace("{\"amount\":\"3.00\",\"currency\":\"EUR\"}", "{\"kind\":\"FIXED\",\"value\":300}"),
                        "no longer accepted"),
                new Bad("POST", "/api/v1/offers", offer.replace("{\"percent\":\"7\"}", "{\"percent\":\"7\",\"amount\":\"1.00\",\"currency\":\"EUR\"}"),
                        "exactly one of"),
                new Bad("POST", "/api/v1/affiliates", affiliateJson(s.offerId(), "sale", "ACTIVE").replace("2.50", "2.505"), "more decimals than EUR"),
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

    @Test
    void everyMissingOrInexactFieldIsListedInOneProblem() {
        Setup s = setUpTenant("cfg-all");
        String body = """
                {"goals":[{"name":"sale","revenue":{"amount":"1.234","currency":"EUR"},"payout":{"percent":"12.345"}},
                          {"revenue":{"percent":"10"}}]}""";
        long events = eventCount();
        Response r = send("POST", "/api/v1/offers", s.key(), body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> {
            fields.add(e.get("field").asText());
            assertThat(e.get("message").asText()).isNotBlank();
        });
        assertThat(fields).containsExactlyInAnyOrder("name", "advertiserId", "destinationUrl", "currency",
                "goals[0].revenue", "goals[0].payout.percent", "goals[1].name", "goals[1].payout");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void amountsKeepTheDecimalsOfTheirCurrency() {
        Setup s = setUpTenant("cfg-minor");
        for (String[] c : new String[][]{{"JPY", "1500", "0.5"}, {"USD", "12.34", "12.345"}, {"GBP", "0.05", "0.055"}}) {
            String offer = offerJson(s.advertiserId(), "ACTIVE").replace("EUR", c[0]).replace("\"3.00\"", "\"" + c[1] + "\"")
                    .replace("\"2.00\"", "\"" + c[1] + "\"");
            Response saved = send("POST", "/api/v1/offers", s.key(), offer);
            assertThat(saved.status()).as(c[0] + " " + saved.body()).isEqualTo(201);
            JsonNode read = send("GET", "/api/v1/offers/" + saved.json().get("id").asText(), s.key(), null).json();
            assertThat(read.at("/goals/1/revenue/amount").asText()).isEqualTo(c[1]);
            assertThat(read.at("/goals/1/revenue/currency").asText()).isEqualTo(c[0]);
            assertThat(read.at("/goals/0/revenue/percent").asText()).isEqualTo("10");

            Response inexact = send("POST", "/api/v1/offers", s.key(), offer.replace("\"" + c[1] + "\"", "\"" + c[2] + "\""));
            assertThat(inexact.status()).as(c[0] + " " + inexact.body()).isEqualTo(400);
            assertThat(inexact.json().get("detail").asText()).contains("more decimals than " + c[0]);
        }
    }

    @Test
    void anOfferInACurrencyNoRateSourceKnowsIsRefused() {
        Setup s = setUpTenant("cfg-kzt");
        long events = eventCount();
        for (String[] c : new String[][]{{"KZT", "1500.00"}, {"KWD", "1.250"}}) {
            String offer = offerJson(s.advertiserId(), "ACTIVE").replace("EUR", c[0]).replace("\"3.00\"", "\"" + c[1] + "\"")
                    .replace("\"2.00\"", "\"" + c[1] + "\"");
            Response r = send("POST", "/api/v1/offers", s.key(), offer);
            assertThat(r.status()).as(c[0] + " " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).contains("currency " + c[0] + " has no exchange rate");
        }
        assertThat(eventCount()).isEqualTo(events);
    }
}
