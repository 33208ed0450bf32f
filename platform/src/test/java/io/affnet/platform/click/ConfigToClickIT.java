package io.affnet.platform.click;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Configuration changed through the API reaches the click path (event → projection → Redis → node cache). */
class ConfigToClickIT extends PlatformIT {

    /**
     * The change is written to Redis in the command's transaction and announced over pub/sub; on a quiet machine
     * it takes milliseconds. The bound is generous because CI's machine is shared and loaded: this test shows the
     * path works, it does not time it.
     */
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    @Test
    void anOfferEditedThroughTheApiRedirectsClicksElsewhereWithoutARestart() throws Exception {
        Traffic t = Traffic.tenant(this, "edit", false);
        String offer = t.offer("null", 86400);
        String affiliate = t.affiliate("a@example.com", "[]");
        String code = t.link(affiliate, offer);
        assertThat(t.click(code).headers().firstValue("Location").orElseThrow()).startsWith("https://shop.example/");

        Response edited = send("PUT", "/api/v1/offers/" + offer, t.key, """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://moved.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}]}"""
                .formatted(t.advertiserId));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).untilAsserted(() ->
                assertThat(t.click(code).headers().firstValue("Location").orElseThrow()).startsWith("https://moved.example/"));

        assertThat(send("POST", "/api/v1/affiliates/" + affiliate + "/suspend", t.key, null).status()).isEqualTo(200);
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(25)).untilAsserted(() ->
                assertThat(t.click(code).statusCode()).as("suspended affiliate, no fallback URL: 404 page").isEqualTo(404));
    }
}
