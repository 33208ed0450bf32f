package io.affnet.platform.audit;

import io.affnet.api.common.TenantId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay's streaming decode of a stored click: the four fields, or null for anything shaped otherwise. */
class TenantReplayTest {

    private static final String STORED = """
            {"tenantId":"t_31de","clickId":"c1","linkId":"L1","linkCode":"code","affiliateId":"A1","affiliateVersion":1,
             "offerId":"O1","offerVersion":1,"terms":{"name":"Offer","advertiserId":"ADV1","destinationUrl":"https://s.example/?c={click_id}",
             "currency":"EUR","status":"ACTIVE","goals":[{"name":"lead","revenue":{"fixed":300},"payout":{"fixed":200}}],
             "attributionWindowSeconds":2592000,"caps":null,"allowedCountries":["DE"],"allowedDeviceClasses":[],"fallbackUrl":null,
             "datacenterTraffic":null},"payoutOverrides":[],"subs":{"sub1":"x","offerId":"not this one"},
             "clickedAt":"2026-10-25T23:00:00.123Z","userAgent":"ua","referrer":null,"deviceClass":"desktop","country":"DE"}""";

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheTopLevelFieldsAndSkipsNestedOnes() {
        StateReplay.ClickFact fact = TenantReplay.click(bytes(STORED));
        assertThat(fact).isEqualTo(new StateReplay.ClickFact(new TenantId("t_31de"), "O1", "A1",
                Instant.parse("2026-10-25T23:00:00.123Z")));
    }

    @Test
    void aClickWithoutOfferKeepsItsNullOffer() {
        StateReplay.ClickFact fact = TenantReplay.click(bytes(STORED.replace("\"offerId\":\"O1\"", "\"offerId\":null")));
        assertThat(fact.offerId()).isNull();
        assertThat(fact.affiliateId()).isEqualTo("A1");
    }

    @Test
    void anythingShapedOtherwiseIsLeftToTheSerializer() {
        assertThat(TenantReplay.click(bytes(STORED.replace("\"tenantId\":\"t_31de\"", "\"tenantId\":{\"value\":\"t_31de\"}")))).isNull();
        assertThat(TenantReplay.click(bytes(STORED.replace("\"clickedAt\":\"2026-10-25T23:00:00.123Z\"", "\"clickedAt\":1761433200.123")))).isNull();
        assertThat(TenantReplay.click(bytes(STORED.replace("\"clickedAt\":\"2026-10-25T23:00:00.123Z\",", "")))).isNull();
        assertThat(TenantReplay.click(bytes("[1,2]"))).isNull();
        assertThat(TenantReplay.click(bytes("{\"tenantId\":"))).isNull();
    }
}
