package io.affnet.platform.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant set up through the public API with an advertiser, an offer, an affiliate, a link and a
 * postback token, plus helpers to click and to post back like a browser and an advertiser would.
 */
public final class Traffic {

    public static final String DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    private final PlatformIT it;
    public final String tenantId;
    public final String key;
    public final String token;
    public String advertiserId;

    private Traffic(PlatformIT it, String tenantId, String key, String token) {
        this.it = it;
        this.tenantId = tenantId;
        this.key = key;
        this.token = token;
    }

    /** Registers a tenant, an advertiser and a postback token, with fraud rules relaxed unless {@code fraudDefaults}. */
    public static Traffic tenant(PlatformIT it, String stem, boolean fraudDefaults) {
        String[] tenant = it.registerTenant(PlatformIT.uniqueSlug(stem));
        PlatformIT.Response token = it.send("POST", "/api/v1/postback-tokens", tenant[1], null);
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        Traffic t = new Traffic(it, tenant[0], tenant[1], token.json().get("token").asText());
        if (!fraudDefaults) {
            PlatformIT.Response settings = it.send("PUT", "/api/v1/postback-settings", t.key,
                    "{\"fraud\":{\"minSecondsToConvert\":0,\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false}}");
            assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        }
        t.advertiserId = t.create("/api/v1/advertisers", "{\"name\":\"Shop GmbH\",\"defaultCurrency\":\"EUR\"}");
        return t;
    }

    public String create(String path, String body) {
        PlatformIT.Response r = it.send("POST", path, key, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** An offer in EUR: goal "lead" pays 2.00 (revenue 3.00), goal "sale" pays 7 % (revenue 10 %). */
    public String offer(String capsJson, long windowSeconds) {
        return create("/api/v1/offers", """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                 "currency":"EUR","status":"ACTIVE",
                 "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}},
                          {"name":"sale","revenue":{"percent":"10"},"payout":{"percent":"7"}}],
                 "attributionWindowSeconds":%d,"caps":%s}""".formatted(advertiserId, windowSeconds, capsJson));
    }

    public String affiliate(String email, String overridesJson) {
        return create("/api/v1/affiliates", "{\"name\":\"Aff\",\"email\":\"" + email + "\",\"status\":\"ACTIVE\",\"payoutOverrides\":"
                + overridesJson + "}");
    }

    /** A plain link; returns its code, once the click path can see it. */
    public String link(String affiliateId, String offerId) {
        PlatformIT.Response r = it.send("POST", "/api/v1/links", key,
                "{\"affiliateId\":\"" + affiliateId + "\",\"offerIds\":[\"" + offerId + "\"],\"status\":\"ACTIVE\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String code = r.json().get("code").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> click(code).statusCode() == 302);
        return code;
    }

    /** Follows a link like a browser; the answer carries the click id in its cookie. */
    public HttpResponse<String> click(String code) throws IOException, InterruptedException {
        return it.http.send(HttpRequest.newBuilder(URI.create(it.base + "/c/" + code)).header("User-Agent", DESKTOP)
                .header("CF-IPCountry", "DE").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public String clickId(String code) throws IOException, InterruptedException {
        HttpResponse<String> r = click(code);
        assertThat(r.statusCode()).isEqualTo(302);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
    }

    /** Sends {@code /postback?<query>&token=…} and returns the status and body. */
    public PlatformIT.Response postback(String query) {
        return it.send("GET", "/postback?" + query + "&token=" + token, null, null);
    }

    public static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public JsonNode lastEvent(String clickId, String type) {
        byte[] payload = it.jdbc.queryForObject("""
                SELECT payload FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?
                ORDER BY sequencenumber DESC LIMIT 1""", byte[].class, clickId, type);
        try {
            return PlatformIT.JSON.readTree(payload);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public int count(String clickId, String type) {
        return it.jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                Integer.class, clickId, type);
    }

}
