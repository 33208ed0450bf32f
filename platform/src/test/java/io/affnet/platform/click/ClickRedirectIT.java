package io.affnet.platform.click;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.CapKeys;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The click path against the real stores. The configuration is written to the Redis lookup cache in
 * the layout of {@link ConfigCacheKeys}, exactly as the configuration projection writes it, so these
 * tests isolate the click path; the configuration API's own tests cover the way there.
 */
class ClickRedirectIT extends PlatformIT {

    private static final ObjectMapper CACHE_JSON = new ObjectMapper();
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
    private static final String DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    @Autowired
    StringRedisTemplate redis;
    @Autowired
    io.affnet.command.click.DeviceClassifier devices;

    String tenantId;

    @BeforeEach
    void tenant() {
        tenantId = registerTenant(uniqueSlug("clicks"))[0];
        await().atMost(Duration.ofSeconds(60)).until(() -> redis.hasKey(ConfigCacheKeys.tenant(tenantId)));
        devices.awaitReady();
    }

    private OfferTerms terms(String destination, OfferStatus status, Caps caps, Set<String> countries, Set<String> devices,
                             String fallback) {
        return new OfferTerms("Offer", "adv1", destination, "EUR", status,
                List.of(new Goal("sale", Amount.percentBasisPoints(1000), Amount.fixed(250))),
                7 * 24 * 3600, caps, countries, devices, fallback);
    }

    private void put(String key, Object value) throws Exception {
        redis.opsForValue().set(key, CACHE_JSON.writeValueAsString(value));
        redis.convertAndSend(ConfigCacheKeys.CHANNEL, key);
    }

    /** Seeds an affiliate, an offer and a link; returns the link code. */
    private String seed(OfferTerms terms, AffiliateStatus affiliateStatus) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String offerId = "off_" + suffix;
        String affiliateId = "aff_" + suffix;
        String code = "L" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        put(ConfigCacheKeys.offer(tenantId, offerId), new CachedOffer(tenantId, offerId, 3, terms));
        put(ConfigCacheKeys.affiliate(tenantId, affiliateId), new CachedAffiliate(tenantId, affiliateId, 2,
                new AffiliateProfile("Aff", "a@example.com", affiliateStatus,
                        List.of(new PayoutOverride(offerId, "sale", Amount.fixed(400))))));
        put(ConfigCacheKeys.link(code), new CachedLink(tenantId, "lnk_" + suffix, code, 1,
                new LinkSettings(affiliateId, List.of(offerId), null, Map.of(), LinkStatus.ACTIVE)));
        return code;
    }

    private HttpResponse<String> click(String pathAndQuery, String userAgent, String country) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET()
                .header("User-Agent", userAgent).header("Referer", "https://news.example/article");
        if (country != null) {
            b.header("CF-IPCountry", country);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode storedClick(String clickId) throws Exception {
        List<byte[]> payloads = jdbc.query("SELECT payload FROM domainevententry WHERE aggregateidentifier = ? AND type = 'Click'",
                (rs, i) -> rs.getBytes(1), clickId);
        assertThat(payloads).as("click %s in the event store", clickId).hasSize(1);
        return JSON.readTree(new String(payloads.get(0), StandardCharsets.UTF_8));
    }

    private static String clickIdFromCookie(HttpResponse<?> response) {
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("afn_cid=").contains("HttpOnly").contains("Max-Age=604800");
        return cookie.substring("afn_cid=".length(), cookie.indexOf(';'));
    }

    @Test
    void redirectsWithEveryMacroFilledAndEncodedAndRecordsTheClick() throws Exception {
        String code = seed(terms("https://adv.example/land?cid={click_id}&aff={affiliate_id}&o={offer_id}&l={link_id}"
                + "&s1={sub1}&s2={sub2}&s3={sub3}&s4={sub4}&s5={sub5}&s6={sub6}&s7={sub7}&s8={sub8}&s9={sub9}&s10={sub10}"
                + "&src={source}&keep={unknown}", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), null), AffiliateStatus.ACTIVE);

        HttpResponse<String> r = click("/c/" + code + "?sub1=a%20b%26c&aff_sub2=tune2&sub3=%C3%A9t%C3%A9&sub4=x%3Dy"
                + "&sub5=5&sub6=6&sub7=7&sub8=8&sub9=9&sub10=%2Fpath%3Fq&source=fb", IPHONE, "de");

        assertThat(r.statusCode()).isEqualTo(302);
        String clickId = clickIdFromCookie(r);
        assertThat(clickId).hasSize(22).matches("[A-Za-z0-9_-]+");
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://adv.example/land?cid=" + clickId + "&aff=aff_")
                .contains("&s1=a%20b%26c&s2=tune2&s3=%C3%A9t%C3%A9&s4=x%3Dy&s5=5&s6=6&s7=7&s8=8&s9=9&s10=%2Fpath%3Fq&src=fb")
                .endsWith("&keep={unknown}");

        JsonNode event = storedClick(clickId);
        assertThat(event.get("tenantId").asText()).isEqualTo(tenantId);
        assertThat(event.get("linkCode").asText()).isEqualTo(code);
        assertThat(event.get("offerVersion").asLong()).isEqualTo(3);
        assertThat(event.get("affiliateVersion").asLong()).isEqualTo(2);
        assertThat(event.at("/terms/goals/0/payout/value").asLong()).isEqualTo(250);
        assertThat(event.at("/terms/attributionWindowSeconds").asLong()).isEqualTo(604800);
        assertThat(event.at("/payoutOverrides/0/payout/value").asLong()).isEqualTo(400);
        assertThat(event.at("/subs/sub1").asText()).isEqualTo("a b&c");
        assertThat(event.at("/subs/sub2").asText()).isEqualTo("tune2");
        assertThat(event.at("/subs/sub3").asText()).isEqualTo("été");
        assertThat(event.at("/subs/source").asText()).isEqualTo("fb");
        assertThat(event.get("deviceClass").asText()).isEqualTo("phone");
        assertThat(event.get("country").asText()).isEqualTo("DE");
        assertThat(event.get("userAgent").asText()).isEqualTo(IPHONE);
        assertThat(event.get("referrer").asText()).isEqualTo("https://news.example/article");
        assertThat(event.get("ipHash").asText()).hasSize(32).doesNotContain("127.0.0.1");
        assertThat(event.get("ipPrefix").asText()).isEqualTo("127.0.0.0/24");
        assertThat(event.get("outcome").asText()).isEqualTo("OFFER");
        assertThat(event.get("clickedAt").asText()).isNotBlank();
    }

    @Test
    void eachReasonSendsTheClickToTheFallbackAndRecordsWhy() throws Exception {
        String fallback = "https://fallback.example/?c={click_id}";
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        reasons.put(seed(terms("https://a.example/", OfferStatus.PAUSED, Caps.none(), Set.of(), Set.of(), fallback),
                AffiliateStatus.ACTIVE), "OFFER_PAUSED");
        reasons.put(seed(terms("https://a.example/", OfferStatus.ACTIVE, Caps.none(), Set.of("FR"), Set.of(), fallback),
                AffiliateStatus.ACTIVE), "COUNTRY_NOT_ALLOWED");
        reasons.put(seed(terms("https://a.example/", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of("desktop"), fallback),
                AffiliateStatus.ACTIVE), "DEVICE_NOT_ALLOWED");
        reasons.put(seed(terms("https://a.example/", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), fallback),
                AffiliateStatus.SUSPENDED), "AFFILIATE_SUSPENDED");
        String capped = seed(terms("https://a.example/", OfferStatus.ACTIVE, new Caps(5L, null, null, null, null, null),
                Set.of(), Set.of(), fallback), AffiliateStatus.ACTIVE);
        String cappedOffer = JSON.readTree(redis.opsForValue().get(ConfigCacheKeys.link(capped))).at("/settings/offerIds/0").asText();
        redis.opsForValue().set(CapKeys.offerDay(tenantId, cappedOffer, LocalDate.now(ZoneId.of("Europe/Berlin"))), "5");
        reasons.put(capped, "CAP_REACHED");

        for (Map.Entry<String, String> e : reasons.entrySet()) {
            // A click whose Redis answer misses the store breaker's timeout (a loaded machine) is served as not
            // capped, by design (CapGate): such a click is retried with a new one; one answered in time must match.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                HttpResponse<String> r = click("/c/" + e.getKey(), IPHONE, "DE");
                assertThat(r.statusCode()).as(e.getValue()).isEqualTo(302);
                String clickId = clickIdFromCookie(r);
                assertThat(r.headers().firstValue("Location").orElseThrow()).isEqualTo("https://fallback.example/?c=" + clickId);
                JsonNode event = storedClick(clickId);
                assertThat(event.get("outcome").asText()).isEqualTo("FALLBACK");
                assertThat(event.get("fallbackReason").asText()).isEqualTo(e.getValue());
            });
        }
    }

    @Test
    void withoutFallbackTheVisitorGetsTheNotFoundPageAndTheClickIsStillRecorded() throws Exception {
        String code = seed(terms("https://a.example/", OfferStatus.PAUSED, Caps.none(), Set.of(), Set.of(), null),
                AffiliateStatus.ACTIVE);
        long before = eventCount();
        HttpResponse<String> r = click("/c/" + code, DESKTOP, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("Link not found").doesNotContain("Exception");
        assertThat(eventCount()).isEqualTo(before + 1);
        JsonNode last = JSON.readTree(new String(jdbc.queryForObject(
                "SELECT payload FROM domainevententry WHERE type = 'Click' ORDER BY globalindex DESC LIMIT 1", byte[].class),
                StandardCharsets.UTF_8));
        assertThat(last.get("outcome").asText()).isEqualTo("NOT_SERVED");
        assertThat(last.get("fallbackReason").asText()).isEqualTo("OFFER_PAUSED");
        assertThat(last.get("deviceClass").asText()).isEqualTo("desktop");
    }

    @Test
    void badClicksAreRefusedAndWriteNothing() throws Exception {
        String code = seed(terms("https://a.example/", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), null),
                AffiliateStatus.ACTIVE);
        long before = eventCount();
        HttpResponse<String> unknown = click("/c/NoSuchCode123456", DESKTOP, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("Link not found");
        assertThat(click("/c/bad%20code%3Cscript%3E", DESKTOP, null).statusCode()).isEqualTo(404);
        assertThat(click("/c/" + "x".repeat(65), DESKTOP, null).statusCode()).isEqualTo(404);
        assertThat(click("/c/", DESKTOP, null).statusCode()).isEqualTo(404);

        HttpResponse<String> oversized = click("/c/" + code + "?sub1=" + "a".repeat(501), DESKTOP, null);
        assertThat(oversized.statusCode()).isEqualTo(400);
        assertThat(oversized.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(oversized.body()).get("detail").asText()).contains("sub1").contains("500");
        HttpResponse<String> tune = click("/c/" + code + "?aff_sub3=" + "b".repeat(501), DESKTOP, null);
        assertThat(tune.statusCode()).isEqualTo(400);
        HttpResponse<String> control = click("/c/" + code + "?source=a%00b", DESKTOP, null);
        assertThat(control.statusCode()).isEqualTo(400);

        assertThat(click("/c/" + code + "?sub1=" + "a".repeat(500), DESKTOP, null).statusCode()).isEqualTo(302);
        assertThat(eventCount()).isEqualTo(before + 1);
    }

    @Test
    void aConfigurationChangeReachesTheClickPathWithinOneSecond() throws Exception {
        String code = seed(terms("https://old.example/", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), null),
                AffiliateStatus.ACTIVE);
        assertThat(click("/c/" + code, DESKTOP, null).headers().firstValue("Location").orElseThrow()).startsWith("https://old.example/");
        CachedLink link = CACHE_JSON.readValue(redis.opsForValue().get(ConfigCacheKeys.link(code)), CachedLink.class);
        String offerId = link.settings().offerIds().get(0);
        put(ConfigCacheKeys.offer(tenantId, offerId), new CachedOffer(tenantId, offerId, 4,
                terms("https://new.example/", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), null)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(click("/c/" + code, DESKTOP, null).headers().firstValue("Location").orElseThrow())
                        .startsWith("https://new.example/"));
    }

    @Test
    void concurrentClicksAreNeitherLostNorDuplicated() throws Exception {
        String code = seed(terms("https://a.example/?c={click_id}", OfferStatus.ACTIVE, Caps.none(), Set.of(), Set.of(), null),
                AffiliateStatus.ACTIVE);
        int n = 400;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> click("/c/" + code + "?sub1=" + k, DESKTOP, null)));
        }
        Set<String> ids = new HashSet<>();
        for (Future<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).isEqualTo(302);
            ids.add(clickIdFromCookie(r));
        }
        pool.shutdown();
        assertThat(ids).hasSize(n);
        List<String> stored = jdbc.queryForList(
                "SELECT aggregateidentifier FROM domainevententry WHERE type = 'Click' AND aggregateidentifier = ANY (?)",
                String.class, (Object) ids.toArray(new String[0]));
        assertThat(stored).hasSize(n).doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).isEqualTo(ids);
    }
}
