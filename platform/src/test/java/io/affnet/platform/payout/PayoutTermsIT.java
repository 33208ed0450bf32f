package io.affnet.platform.payout;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/payout-terms}: the defaults until a tenant sets its terms, then exactly what it PUT; staff only, own tenant only. */
class PayoutTermsIT extends PlatformIT {

    private static final String TERMS = """
            {"defaultHold":"P14D","offerHolds":{"off_a":"PT10S","off_b":"P1DT2H"},"schedule":"NET","netDays":15,
             "minimum":{"EUR":"25.00","JPY":"3000","KWD":"1.250"},"negativeBalanceBlocks":false}""";

    @Test
    void answersTheDefaultsThenExactlyWhatWasPutToStaffOfItsOwnTenantOnly() throws Exception {
        Traffic t = Traffic.tenant(this, "payterms", false);
        Traffic other = Traffic.tenant(this, "paytermsother", false);

        Response initial = send("GET", "/api/v1/payout-terms", t.key, null);
        assertThat(initial.status()).as(initial.body()).isEqualTo(200);
        assertThat(initial.json()).isEqualTo(JSON.readTree("""
                {"defaultHold":"P30D","offerHolds":{},"schedule":"MONTHLY","netDays":0,"minimum":{},
                 "negativeBalanceBlocks":true,"default":true}"""));

        Response put = send("PUT", "/api/v1/payout-terms", t.key, TERMS);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Response read = send("GET", "/api/v1/payout-terms", t.key, null);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json()).as("round trip, no \"default\"").isEqualTo(JSON.readTree(TERMS));
        assertThat(read.body()).doesNotContain("\"default\"");

        Response again = send("PUT", "/api/v1/payout-terms", t.key, read.body());
        assertThat(again.status()).as("what GET answers, PUT takes: " + again.body()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/payout-terms", t.key, null).json()).isEqualTo(JSON.readTree(TERMS));

        Response partial = send("PUT", "/api/v1/payout-terms", t.key, "{\"schedule\":\"WEEKLY\"}");
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        JsonNode filled = send("GET", "/api/v1/payout-terms", t.key, null).json();
        assertThat(filled.get("schedule").asText()).isEqualTo("WEEKLY");
        assertThat(filled.get("defaultHold").asText()).as("left out = the default").isEqualTo("P30D");
        assertThat(filled.get("minimum").size()).isZero();
        assertThat(filled.has("default")).as("set, even if to the defaults").isFalse();
        assertThat(send("PUT", "/api/v1/payout-terms", t.key, TERMS).status()).isEqualTo(200);

        Map<String, String> keys = Map.of(
                "analyst", key(t, "{\"role\":\"TENANT_ANALYST\"}"),
                "auditor", key(t, "{\"role\":\"AUDITOR\"}"));
        keys.forEach((who, key) -> {
            Response r = send("GET", "/api/v1/payout-terms", key, null);
            assertThat(r.status()).as(who + " " + r.body()).isEqualTo(200);
            assertThat(r.json()).as(who).isEqualTo(readTree(TERMS));
            Response write = send("PUT", "/api/v1/payout-terms", key, "{\"defaultHold\":\"P1D\"}");
            assertThat(write.status()).as(who + " may not set terms").isEqualTo(403);
        });
        String affiliateId = t.affiliate("terms-" + System.nanoTime() + "@example.com", "[]");
        Map<String, String> outsiders = Map.of(
                "affiliate", key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + affiliateId + "\"}"),
                "advertiser", key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}"));
        outsiders.forEach((who, key) -> {
            Response r = send("GET", "/api/v1/payout-terms", key, null);
            assertThat(r.status()).as(who + " " + r.body()).isEqualTo(403);
            assertThat(r.contentType()).contains("application/problem+json");
            assertThat(r.body()).doesNotContain("P14D").doesNotContain("25.00");
        });
        assertThat(send("GET", "/api/v1/payout-terms", null, null).status()).isEqualTo(401);

        Response theirs = send("GET", "/api/v1/payout-terms", other.key, null);
        assertThat(theirs.status()).as(theirs.body()).isEqualTo(200);
        assertThat(theirs.json().get("default").asBoolean()).as("another tenant never sees these terms").isTrue();
        assertThat(theirs.body()).doesNotContain("P14D").doesNotContain("off_a");
    }

    @Test
    void theOpenApiDocumentShowsTheReadBesideTheWrite() {
        JsonNode doc = send("GET", "/v3/api-docs", null, null).json();
        JsonNode path = doc.at("/paths/~1api~1v1~1payout-terms");
        assertThat(path.has("put")).isTrue();
        assertThat(path.at("/get/summary").asText()).contains("payout terms");
        String ref = path.at("/get/responses/200/content/*~1*/schema/$ref").asText(
                path.at("/get/responses/200/content/application~1json/schema/$ref").asText());
        JsonNode schema = doc.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1) + "/properties");
        assertThat(schema.has("default")).as(ref + " " + schema).isTrue();
        assertThat(schema.at("/minimum/additionalProperties/type").asText()).isEqualTo("string");
    }

    private String key(Traffic t, String json) {
        Response r = send("POST", "/api/v1/keys", t.key, json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
