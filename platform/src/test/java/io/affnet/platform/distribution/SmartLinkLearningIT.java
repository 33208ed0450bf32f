package io.affnet.platform.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Conversions steer a smart link's traffic, on the real stores, through the learning projection. */
class SmartLinkLearningIT extends PlatformIT {

    private JsonNode click(String clickId) throws Exception {
        byte[] payload = jdbc.queryForObject("SELECT payload FROM domainevententry WHERE aggregateidentifier = ? AND type = 'Click'",
                byte[].class, clickId);
        return JSON.readTree(new String(payload, StandardCharsets.UTF_8));
    }

    private double shareOf(String linkId, String key, String offerId) {
        JsonNode overall = send("GET", "/api/v1/links/" + linkId + "/distribution", key, null).json().get("overall");
        for (JsonNode o : overall) {
            if (o.get("offerId").asText().equals(offerId)) {
                return o.get("probability").asDouble();
            }
        }
        throw new AssertionError("offer missing in " + overall);
    }

    @Test
    void conversionsSteerTrafficTowardsTheOfferThatEarns() throws Exception {
        Traffic t = Traffic.tenant(this, "smart", false);
        String good = t.offer("null", 86400);
        String bad = t.offer("null", 86400);
        String affiliate = t.affiliate("a@example.com", "[]");
        Response created = send("POST", "/api/v1/links", t.key, "{\"affiliateId\":\"" + affiliate + "\",\"offerIds\":[\""
                + good + "\",\"" + bad + "\"],\"policy\":\"thompson-epc\",\"status\":\"ACTIVE\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String linkId = created.json().get("id").asText();
        String code = created.json().get("code").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> t.click(code).statusCode() == 302);

        double before = shareOf(linkId, t.key, good);
        assertThat(before).isBetween(0.3, 0.7);

        int goodClicks = 0;
        for (int i = 0; i < 80; i++) {
            String clickId = t.clickId(code);
            JsonNode event = click(clickId);
            assertThat(event.at("/decision/policy").asText()).isEqualTo("thompson-epc");
            assertThat(event.at("/decision/candidates").size()).isEqualTo(2);
            double propensity = event.at("/decision/propensity").asDouble();
            assertThat(propensity).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(event.at("/decision/chosenOfferId").asText()).isEqualTo(event.get("offerId").asText());
            if (event.get("offerId").asText().equals(good)) {
                goodClicks++;
                assertThat(t.postback("click_id=" + clickId + "&goal=lead&txn_id=G" + i).body()).isEqualTo("accepted");
            }
        }
        assertThat(goodClicks).isPositive();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shareOf(linkId, t.key, good)).isGreaterThan(0.85));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            int toGood = 0;
            for (int i = 0; i < 40; i++) {
                if (click(t.clickId(code)).get("offerId").asText().equals(good)) {
                    toGood++;
                }
            }
            assertThat(toGood).as("clicks sent to the converting offer out of 40").isGreaterThanOrEqualTo(30);
        });

        Response foreign = send("GET", "/api/v1/links/" + linkId + "/distribution",
                Traffic.tenant(this, "other", false).key, null);
        assertThat(foreign.status()).isEqualTo(404);
    }
}
