package io.affnet.platform.conversion;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser pixel carries no credential: it is off by default, never changes a status, and each refusal is recorded. */
class PixelSecurityIT extends PlatformIT {

    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";
    private static final String REJECTED = "io.affnet.api.conversion.ConversionRejectedEvent";
    private static final String CHANGED = "io.affnet.api.conversion.ConversionStatusChangedEvent";

    private HttpResponse<byte[]> fire(String query, String click, String referer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/p?" + query)).header("Cookie", "afn_cid=" + click);
        if (referer != null) {
            b.header("Referer", referer);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String outcome(String query, String click, String referer) throws Exception {
        return fire(query, click, referer).headers().firstValue("X-Affnet-Outcome").orElse("");
    }

    private void pixel(Traffic t, String offer, String json) {
        Response r = send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key, json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aPixelOnAnOfferThatNeverTurnedItOnIsRefusedAndTheRefusalIsRecordedInTheClicksTenant() throws Exception {
        Traffic victim = Traffic.tenant(this, "pixel-off", false);
        String offer = victim.offer("null", 86400);
        String click = victim.clickId(victim.link(victim.affiliate("a@example.com", "[]"), offer));

        // Whoever holds the click id, with no credential of the tenant at all.
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=F1", click, null)).isEqualTo("rejected:pixel_disabled");
        assertThat(victim.count(click, RECORDED)).isZero();
        assertThat(victim.lastEvent(click, REJECTED).get("reason").asText()).isEqualTo("PIXEL_DISABLED");
        assertThat(victim.lastEvent(click, REJECTED).get("channel").asText()).isEqualTo("pixel");
    }

    @Test
    void anAdvertiserWithAnIpAllowlistTakesPixelsOnlyWhereTheOfferAllowsThem() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel-allowlist", false);
        t.advertiserId = t.create("/api/v1/advertisers",
                "{\"name\":\"Strict\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"203.0.113.0/24\"]}");
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        String click = t.clickId(code);

        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=A1", click, null)).isEqualTo("rejected:pixel_refused_by_allowlist");
        assertThat(t.lastEvent(click, REJECTED).get("reason").asText()).isEqualTo("PIXEL_ADVERTISER_ALLOWLIST");
        assertThat(t.count(click, RECORDED)).isZero();

        pixel(t, offer, "{\"enabled\":true}");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=A1", click, null)).isEqualTo("accepted");
        assertThat(t.count(click, RECORDED)).isEqualTo(1);
    }

    @Test
    void aPixelNeverApprovesOrReversesAConversion() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel-status", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        pixel(t, offer, "{\"enabled\":true}");
        String pending = t.clickId(code);
        assertThat(t.postback("click_id=" + pending + "&goal=lead&txn_id=S1&status=pending").body()).isEqualTo("accepted");

        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=S1&status=approved", pending, null))
                .isEqualTo("rejected:pixel_status_change");
        // Without a status word the pixel would mean 'approved': still not a pixel's to decide.
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=S1", pending, null)).isEqualTo("rejected:pixel_status_change");

        String approved = t.clickId(code);
        assertThat(t.postback("click_id=" + approved + "&goal=lead&txn_id=S2").body()).isEqualTo("accepted");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=S2&status=reversed", approved, null))
                .isEqualTo("rejected:pixel_status_change");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=S3&status=approved", t.clickId(code), null))
                .isEqualTo("rejected:pixel_status_change");

        assertThat(t.count(pending, CHANGED)).isZero();
        assertThat(t.count(approved, CHANGED)).isZero();
        assertThat(t.lastEvent(pending, RECORDED).get("status").asText()).isEqualTo("PENDING");
        assertThat(t.lastEvent(approved, REJECTED).get("reason").asText()).isEqualTo("PIXEL_STATUS_CHANGE");
    }

    @Test
    void aPixelAmountAboveTheOffersCeilingIsRefusedAndWithoutACeilingTheAmountIsDropped() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel-amount", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);

        pixel(t, offer, "{\"enabled\":true,\"maxAmount\":\"50.00\"}");
        String big = t.clickId(code);
        assertThat(outcome("offer=" + offer + "&goal=sale&amount=999999999.99&txn_id=M1", big, null))
                .isEqualTo("rejected:pixel_amount_not_allowed");
        assertThat(outcome("offer=" + offer + "&goal=sale&amount=10&currency=USD&txn_id=M1", big, null))
                .isEqualTo("rejected:pixel_amount_not_allowed");
        assertThat(t.count(big, RECORDED)).isZero();
        assertThat(outcome("offer=" + offer + "&goal=sale&amount=50.00&txn_id=M1", big, null)).isEqualTo("accepted");
        assertThat(t.lastEvent(big, RECORDED).at("/sale/minor").asLong()).isEqualTo(5000);

        pixel(t, offer, "{\"enabled\":true}");
        String dropped = t.clickId(code);
        assertThat(outcome("offer=" + offer + "&goal=sale&amount=999999999.99&txn_id=M2", dropped, null)).isEqualTo("accepted");
        assertThat(t.lastEvent(dropped, RECORDED).get("sale").isNull()).isTrue();
        assertThat(t.lastEvent(dropped, RECORDED).at("/payout/minor").asLong()).isZero();
    }

    @Test
    void aPixelCountsOnlyFromTheOffersAllowedReferringDomains() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel-referrer", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        pixel(t, offer, "{\"enabled\":true,\"allowedReferrerDomains\":[\"shop.example\"]}");
        String click = t.clickId(code);

        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=R1", click, "https://evil.example/thanks"))
                .isEqualTo("rejected:pixel_referrer_not_allowed");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=R1", click, "https://shop.example.evil.example/"))
                .isEqualTo("rejected:pixel_referrer_not_allowed");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=R1", click, null)).isEqualTo("rejected:pixel_referrer_not_allowed");
        assertThat(t.lastEvent(click, REJECTED).get("reason").asText()).isEqualTo("PIXEL_REFERRER_NOT_ALLOWED");
        assertThat(outcome("offer=" + offer + "&goal=lead&txn_id=R1", click, "https://www.shop.example/checkout/done"))
                .isEqualTo("accepted");
    }

    @Test
    void pixelSettingsAreRefusedWhenMalformedAndOnlyForTheTenantsOwnOffers() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel-settings", false);
        String offer = t.offer("null", 86400);
        Response badDomain = send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key,
                "{\"enabled\":true,\"allowedReferrerDomains\":[\"https://shop.example/\"]}");
        assertThat(badDomain.status()).isEqualTo(400);
        assertThat(badDomain.contentType()).startsWith("application/problem+json");
        assertThat(send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key, "{\"enabled\":true,\"maxAmount\":\"-1\"}").status())
                .isEqualTo(400);
        Traffic other = Traffic.tenant(this, "pixel-settings-other", false);
        assertThat(send("PUT", "/api/v1/offers/" + offer + "/pixel", other.key, "{\"enabled\":true}").status()).isEqualTo(404);
    }
}
