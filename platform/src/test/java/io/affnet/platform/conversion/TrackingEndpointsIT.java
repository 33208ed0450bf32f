package io.affnet.platform.conversion;

import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the public tracking endpoints (/c/, /postback, /p) refuse, and that a refusal changes nothing. */
class TrackingEndpointsIT extends PlatformIT {

    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";

    private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void headAndOptionsNeverRecordAClickOrAConversion() throws Exception {
        Traffic t = Traffic.tenant(this, "head", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        assertThat(send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key, "{\"enabled\":true}").status()).isEqualTo(200);
        String click = t.clickId(code);
        long events = eventCount();

        HttpResponse<String> head = call("HEAD", "/postback?click_id=" + click + "&goal=lead&txn_id=H1&token=" + t.token);
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow").orElse("")).contains("GET").contains("POST");
        HttpResponse<String> options = call("OPTIONS", "/postback?click_id=" + click + "&goal=lead&txn_id=H1&token=" + t.token);
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow").orElse("")).contains("GET");
        assertThat(call("HEAD", "/c/" + code, "User-Agent", Traffic.DESKTOP).statusCode()).isEqualTo(405);
        assertThat(call("OPTIONS", "/c/" + code).statusCode()).isEqualTo(204);
        assertThat(call("HEAD", "/p?offer=" + offer + "&goal=lead&txn_id=H2", "Cookie", "afn_cid=" + click).statusCode()).isEqualTo(405);
        assertThat(call("OPTIONS", "/p?offer=" + offer + "&goal=lead&txn_id=H2", "Cookie", "afn_cid=" + click).statusCode())
                .isEqualTo(204);

        assertThat(eventCount()).isEqualTo(events);
        assertThat(t.count(click, RECORDED)).isZero();
        // The same report by GET is taken: the refusals above were about the method only.
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=H1").body()).isEqualTo("accepted");
    }

    @Test
    void wrongMethodsAndAMissingLinkCodeAnswerProblemJson() throws Exception {
        for (String[] call : List.of(new String[]{"PUT", "/postback?click_id=x"}, new String[]{"DELETE", "/postback"},
                new String[]{"POST", "/c/abc"}, new String[]{"PUT", "/c/"}, new String[]{"POST", "/p?offer=o"},
                new String[]{"DELETE", "/p"})) {
            HttpResponse<String> r = call(call[0], call[1]);
            assertThat(r.statusCode()).as(call[0] + " " + call[1]).isEqualTo(405);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(call[1]).startsWith("application/problem+json");
            assertThat(r.body()).as(call[1]).contains("\"status\":405").contains("not allowed");
        }
        for (String path : List.of("/c/", "/c")) {
            HttpResponse<String> r = call("GET", path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
        }
    }

    /**
     * The click redirect runs only the filters it needs (decisions/0015): the request id and the per-IP
     * limit (LimitsIT) stay; a click still gets its id in the answer, redirected or not.
     */
    @Test
    void clickAnswersCarryARequestId() throws Exception {
        Traffic t = Traffic.tenant(this, "reqid", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        HttpResponse<String> redirect = call("GET", "/c/" + code + "?sub1=r", "User-Agent", Traffic.DESKTOP);
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<String> unknown = call("GET", "/c/no.such.code");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        for (HttpResponse<String> r : List.of(redirect, unknown)) {
            assertThat(r.headers().firstValue("X-Request-Id").orElse("")).matches("[A-Za-z0-9_-]{16}");
        }
        assertThat(redirect.headers().firstValue("X-Request-Id")).isNotEqualTo(unknown.headers().firstValue("X-Request-Id"));
    }

    @Test
    void controlCharactersAndOverflowingAmountsAreRefusedAtIntakeWithProblemJson() throws Exception {
        Traffic t = Traffic.tenant(this, "intake", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        assertThat(send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key, "{\"enabled\":true,\"maxAmount\":\"1000.00\"}").status())
                .isEqualTo(200);
        String click = t.clickId(code);
        long events = eventCount();
        for (String query : List.of("txn_id=A%00B", "txn_id=A%0AB", "goal=lead%1B", "amount=1.000.000.000.000.000.000.000",
                "amount=999999999999999.99&currency=CLF", "amount=10000000000.01", "amount=100000001&currency=CLF")) {
            Response r = t.postback("click_id=" + click + "&goal=sale&txn_id=N1&" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.contentType()).as(query).startsWith("application/problem+json");
            HttpResponse<String> pixel = call("GET", "/p?offer=" + offer + "&goal=sale&txn_id=N2&" + query, "Cookie", "afn_cid=" + click);
            assertThat(pixel.statusCode()).as("pixel " + query).isEqualTo(400);
            assertThat(pixel.headers().firstValue("Content-Type").orElse("")).as(query).startsWith("application/problem+json");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(t.postback("click_id=" + click + "&goal=sale&txn_id=N1&amount=10000000000").body()).isEqualTo("accepted");
    }

    @Test
    void destinationsWhoseMacrosWouldFillSchemeHostOrPortAreRefusedAtSave() {
        Traffic t = Traffic.tenant(this, "redirect", false);
        long events = settledEventCount();
        for (String destination : List.of("https://{sub1}/landing", "https://{sub1}.shop.example/", "https://shop.example:{sub2}/",
                "{source}://shop.example/", "https://shop.example{sub1}/", "https://user{sub1}@shop.example/")) {
            Response r = send("POST", "/api/v1/offers", t.key, """
                    {"name":"Offer","advertiserId":"%s","destinationUrl":"%s","currency":"EUR","status":"ACTIVE",
                     "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}]}"""
                    .formatted(t.advertiserId, destination));
            assertThat(r.status()).as(destination).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).as(destination).contains("scheme, host or port");
        }
        assertThat(eventCount()).isEqualTo(events);
        Response path = send("POST", "/api/v1/offers", t.key, """
                {"name":"Offer","advertiserId":"%s","destinationUrl":"https://shop.example/{sub1}?c={click_id}","currency":"EUR",
                 "status":"ACTIVE","goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"EUR"},"payout":{"amount":"2.00","currency":"EUR"}}]}"""
                .formatted(t.advertiserId));
        assertThat(path.status()).as(path.body()).isEqualTo(201);
    }

    @Test
    void failedAuthenticationsAreLimitedPerAddressOnTheApiAndThePostbackToken() throws Exception {
        Traffic t = Traffic.tenant(this, "authfail", false);
        String attacker = "198.51.100." + (1 + (UUID.randomUUID().hashCode() & 0x7f));
        String ip = "X-Affnet-Test-Client";
        int refused = 0;
        for (int i = 0; i < 60 && refused == 0; i++) {
            int status = call("GET", "/api/v1/offers", "Authorization", "Bearer afn_wrong_" + i, ip, attacker).statusCode();
            assertThat(status).isIn(401, 429);
            refused += status == 429 ? 1 : 0;
        }
        assertThat(refused).as("a 429 within 60 failed attempts").isEqualTo(1);
        HttpResponse<String> limited = call("GET", "/postback?click_id=x&token=afn_pb_wrong", ip, attacker);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(limited.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        // Even the right key waits: the address is refused before its credential is looked at.
        assertThat(call("GET", "/api/v1/offers", "Authorization", "Bearer " + t.key, ip, attacker).statusCode()).isEqualTo(429);
        // Other addresses are not affected.
        assertThat(call("GET", "/api/v1/offers", "Authorization", "Bearer afn_wrong", ip, "203.0.113.77").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/v1/offers", "Authorization", "Bearer " + t.key).statusCode()).isEqualTo(200);
    }

    /** A raw HTTP/1.1 request, for a Host header the JDK client will not set; answers status line and headers. */
    private String raw(String host, String pathAndQuery, String cookie) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
        }
    }

    @Test
    void aTenantsTrackingDomainCarriesItsClickUrlsAndOnItsHostOnlyItsClicksCount() throws Exception {
        Traffic a = Traffic.tenant(this, "domain-a", false);
        Traffic b = Traffic.tenant(this, "domain-b", false);
        String host = "track." + uniqueSlug("shop") + ".example";
        Response set = send("PUT", "/api/v1/tracking-domains", a.key, "{\"hosts\":[\"" + host + "\"]}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/tracking-domains", a.key, null).json().at("/hosts/0").asText()).isEqualTo(host);
        Response taken = send("PUT", "/api/v1/tracking-domains", b.key, "{\"hosts\":[\"" + host + "\"]}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.contentType()).startsWith("application/problem+json");
        for (String bad : List.of("https://x.example", "x.example:8080", "127.0.0.1", "UPPER.example", "x.example/path")) {
            assertThat(send("PUT", "/api/v1/tracking-domains", b.key, "{\"hosts\":[\"" + bad + "\"]}").status()).as(bad).isEqualTo(400);
        }

        String offerA = a.offer("null", 86400);
        String affiliateA = a.affiliate("a@example.com", "[]");
        Response link = send("POST", "/api/v1/links", a.key,
                "{\"affiliateId\":\"" + affiliateA + "\",\"offerIds\":[\"" + offerA + "\"],\"status\":\"ACTIVE\"}");
        assertThat(link.json().get("clickUrl").asText()).isEqualTo("https://" + host + "/c/" + link.json().get("code").asText());
        String codeA = link.json().get("code").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> a.click(codeA).statusCode() == 302);
        assertThat(send("GET", "/api/v1/links/" + link.json().get("id").asText(), a.key, null).json().get("clickUrl").asText())
                .startsWith("https://" + host + "/c/");

        // Tenant B turned its pixel on; its click id presented on A's domain is not a click there.
        String offerB = b.offer("null", 86400);
        String clickB = b.clickId(b.link(b.affiliate("b@example.com", "[]"), offerB));
        assertThat(send("PUT", "/api/v1/offers/" + offerB + "/pixel", b.key, "{\"enabled\":true}").status()).isEqualTo(200);
        String onA = raw(host, "/p?offer=" + offerB + "&goal=lead&txn_id=D1", "afn_cid=" + clickB);
        assertThat(onA).startsWith("HTTP/1.1 200").contains("X-Affnet-Outcome: rejected:unknown_click");
        assertThat(b.count(clickB, RECORDED)).isZero();
        // The same pixel on the platform's own host is B's to judge, and B allowed it.
        assertThat(raw("127.0.0.1", "/p?offer=" + offerB + "&goal=lead&txn_id=D1", "afn_cid=" + clickB))
                .contains("X-Affnet-Outcome: accepted");

        // A wrong token sent to A's domain is counted on A, never on the tenant of the click it names.
        assertThat(raw(host, "/postback?click_id=" + clickB + "&token=afn_pb_wrong", null)).startsWith("HTTP/1.1 401");
        assertThat(send("GET", "/api/v1/postback-settings", a.key, null).json().get("unauthorizedAttempts").asLong()).isEqualTo(1);
        assertThat(send("GET", "/api/v1/postback-settings", b.key, null).json().get("unauthorizedAttempts").asLong()).isZero();
        // Over plain HTTP the click cookie stays SameSite=Lax (None needs Secure, which only HTTPS gets).
        assertThat(a.click(codeA).headers().firstValue("Set-Cookie").orElse("")).contains("SameSite=Lax").doesNotContain("Secure");
    }

    @Test
    void anAdvertisersOwnPostbackTokenReachesOnlyItsOwnOffersAndTenantTokensStillWork() throws Exception {
        Traffic t = Traffic.tenant(this, "adv-token", false);
        String own = t.offer("null", 86400);
        String affiliate = t.affiliate("a@example.com", "[]");
        String ownCode = t.link(affiliate, own);
        String firstAdvertiser = t.advertiserId;
        t.advertiserId = t.create("/api/v1/advertisers", "{\"name\":\"Other GmbH\",\"defaultCurrency\":\"EUR\"}");
        String other = t.offer("null", 86400);
        String otherCode = t.link(affiliate, other);

        Response issued = send("POST", "/api/v1/advertisers/" + firstAdvertiser + "/postback-tokens", t.key, null);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        assertThat(send("POST", "/api/v1/advertisers/adv_missing/postback-tokens", t.key, null).status()).isEqualTo(404);

        String ownClick = t.clickId(ownCode);
        assertThat(send("GET", "/postback?click_id=" + ownClick + "&goal=lead&txn_id=V1&token=" + token, null, null).body())
                .isEqualTo("accepted");
        String otherClick = t.clickId(otherCode);
        assertThat(send("GET", "/postback?click_id=" + otherClick + "&goal=lead&txn_id=V2&token=" + token, null, null).body())
                .isEqualTo("rejected:unknown_click");
        assertThat(t.count(otherClick, RECORDED)).isZero();
        // The tenant's own token keeps reaching every advertiser's offers.
        assertThat(t.postback("click_id=" + otherClick + "&goal=lead&txn_id=V2").body()).isEqualTo("accepted");

        com.fasterxml.jackson.databind.JsonNode tokens = send("GET", "/api/v1/postback-settings", t.key, null).json().get("tokens");
        String tokenId = issued.json().get("tokenId").asText();
        boolean listed = false;
        for (com.fasterxml.jackson.databind.JsonNode n : tokens) {
            if (n.get("tokenId").asText().equals(tokenId)) {
                listed = true;
                assertThat(n.get("advertiserId").asText()).isEqualTo(firstAdvertiser);
            }
        }
        assertThat(listed).isTrue();
        assertThat(send("DELETE", "/api/v1/postback-tokens/" + tokenId, t.key, null).status()).isEqualTo(204);
        assertThat(send("GET", "/postback?click_id=" + t.clickId(ownCode) + "&goal=lead&txn_id=V3&token=" + token, null, null)
                .status()).isEqualTo(401);
    }
}
