package io.affnet.platform.click;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.command.geo.GeoIp;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import io.affnet.projections.report.ReportViews;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Country and autonomous system from the IP databases that {@code ./affnet test} fetches, through the
 * real click path: the visitor's address comes from a trusted proxy's X-Forwarded-For. 193.0.6.139 is
 * RIPE NCC's web server (NL, AS3333, not a hosting network); 8.8.8.8 is Google's resolver (US, AS15169,
 * on the shipped list of hosting networks).
 */
@TestPropertySource(properties = "affnet.click.client-ip-header=X-Forwarded-For")
class GeoIpClickIT extends PlatformIT {

    private static final String RIPE = "193.0.6.139";
    private static final String GOOGLE = "8.8.8.8";

    @Autowired
    GeoIp geo;
    @Autowired
    ReportViews views;
    @Value("${spring.elasticsearch.uris}")
    String elasticsearch;

    Traffic t;
    String affiliate;

    @BeforeEach
    void tenant() {
        await().atMost(Duration.ofSeconds(60)).until(() -> geo.hasCountries() && geo.hasAsns());
        t = Traffic.tenant(this, "geo", false);
        affiliate = t.affiliate("geo@example.com", "[]");
    }

    private String offer(String countriesJson, String datacenterTraffic) {
        return t.create("/api/v1/offers", """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}],
                 "allowedCountries":%s,"fallbackUrl":"https://fallback.example/?cid={click_id}"%s}"""
                .formatted(t.advertiserId, countriesJson,
                        datacenterTraffic == null ? "" : ",\"datacenterTraffic\":\"" + datacenterTraffic + "\""));
    }

    /** A link whose click path is ready (a click from RIPE's address reaches the offer). */
    private String link(String offerId) {
        Response r = send("POST", "/api/v1/links", t.key,
                "{\"affiliateId\":\"" + affiliate + "\",\"offerIds\":[\"" + offerId + "\"],\"status\":\"ACTIVE\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String code = r.json().get("code").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> click(code, RIPE, null).statusCode() == 302);
        return code;
    }

    private HttpResponse<String> click(String code, String ip, String countryHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/c/" + code)).GET()
                .header("User-Agent", Traffic.DESKTOP).header("X-Forwarded-For", ip + ", 10.0.0.7");
        if (countryHeader != null) {
            b.header("CF-IPCountry", countryHeader);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String clickId(HttpResponse<?> r) {
        assertThat(r.statusCode()).isEqualTo(302);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    private JsonNode clickDocument(String clickId) throws Exception {
        String query = "{\"query\":{\"term\":{\"clickId\":\"" + clickId + "\"}}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(elasticsearch + "/" + views.clicksAlias() + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build();
        JsonNode hits = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).at("/hits/hits");
        return hits.isArray() && hits.size() == 1 ? hits.get(0).get("_source") : null;
    }

    @Test
    void aClickFromAPublicAddressWithoutCountryHeaderGetsTheDatabasesCountryInTheEventAndTheCountryReport() throws Exception {
        String code = link(offer("[\"NL\"]", null));

        HttpResponse<String> r = click(code, RIPE, null);

        assertThat(r.headers().firstValue("Location").orElseThrow()).as("NL-only offer reached").startsWith("https://shop.example/");
        String clickId = clickId(r);
        JsonNode event = t.lastEvent(clickId, "io.affnet.api.click.ClickRecordedEvent");
        assertThat(event.get("country").asText()).isEqualTo("NL");
        assertThat(event.get("asn").asLong()).isEqualTo(3333);
        assertThat(event.path("datacenter").isNull() || event.path("datacenter").isMissingNode()).isTrue();

        String today = LocalDate.now(ZoneId.of("Europe/Berlin")).toString();
        String range = "&from=" + LocalDate.parse(today).minusDays(1) + "&to=" + LocalDate.parse(today).plusDays(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Response report = send("GET", "/api/v1/reports?metrics=clicks&groupBy=country" + range, t.key, null);
            assertThat(report.status()).as(report.body()).isEqualTo(200);
            // Every click of this tenant came from RIPE's address without a header: the ones that proved the
            // link ready, and this one. One row, NL, with all of them.
            JsonNode table = report.json();
            assertThat(table.get("columns").toString()).as(report.body()).isEqualTo("[\"country\",\"clicks\"]");
            assertThat(table.get("rows").size()).as(report.body()).isEqualTo(1);
            assertThat(table.at("/rows/0/0").asText()).as(report.body()).isEqualTo("NL");
            assertThat(table.at("/rows/0/1").asLong()).as(report.body()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void theTrustedCountryHeaderWinsOverTheDatabase() throws Exception {
        String code = link(offer("[\"NL\"]", null));

        HttpResponse<String> r = click(code, RIPE, "DE");

        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("https://fallback.example/");
        JsonNode event = t.lastEvent(clickId(r), "io.affnet.api.click.ClickRecordedEvent");
        assertThat(event.get("country").asText()).isEqualTo("DE");
        assertThat(event.get("fallbackReason").asText()).isEqualTo("COUNTRY_NOT_ALLOWED");
        assertThat(event.get("asn").asLong()).as("the network is still the database's").isEqualTo(3333);
    }

    @Test
    void anOfferThatRefusesDatacentreTrafficSendsHostingNetworksToTheFallbackWithAReason() throws Exception {
        String code = link(offer("[]", "REFUSE"));

        HttpResponse<String> fromCloud = click(code, GOOGLE, null);
        assertThat(fromCloud.headers().firstValue("Location").orElseThrow()).startsWith("https://fallback.example/");
        JsonNode event = t.lastEvent(clickId(fromCloud), "io.affnet.api.click.ClickRecordedEvent");
        assertThat(event.get("fallbackReason").asText()).isEqualTo("DATACENTER_TRAFFIC");
        assertThat(event.get("outcome").asText()).isEqualTo("FALLBACK");
        assertThat(event.get("datacenter").asBoolean()).isTrue();
        assertThat(event.get("asn").asLong()).isEqualTo(15169);

        assertThat(click(code, RIPE, null).headers().firstValue("Location").orElseThrow())
                .as("a visitor on an ordinary network").startsWith("https://shop.example/");
    }

    @Test
    void anOfferThatFlagsDatacentreTrafficTakesTheClickAndMarksItInTheEventAndTheReportDocument() throws Exception {
        String flagging = link(offer("[]", "FLAG"));
        String allowing = link(offer("[]", null));

        HttpResponse<String> flagged = click(flagging, GOOGLE, null);
        assertThat(flagged.headers().firstValue("Location").orElseThrow()).startsWith("https://shop.example/");
        String flaggedId = clickId(flagged);
        assertThat(t.lastEvent(flaggedId, "io.affnet.api.click.ClickRecordedEvent").get("datacenter").asBoolean()).isTrue();

        String allowedId = clickId(click(allowing, GOOGLE, null));
        JsonNode allowed = t.lastEvent(allowedId, "io.affnet.api.click.ClickRecordedEvent");
        assertThat(allowed.path("datacenter").isNull() || allowed.path("datacenter").isMissingNode())
                .as("an offer that allows hosting networks raises no flag").isTrue();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode doc = clickDocument(flaggedId);
            assertThat(doc).isNotNull();
            assertThat(doc.get("datacenter").asBoolean()).isTrue();
            assertThat(doc.get("asn").asLong()).isEqualTo(15169);
            assertThat(doc.get("country").asText()).isEqualTo("US");
        });
    }
}
