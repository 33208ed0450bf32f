package io.affnet.platform.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.OfferStatus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConfigurationApiIT extends ConfigApiSupport {

    @Autowired
    StringRedisTemplate redis;
    @Value("${spring.data.redis.host}")
    String redisHost;
    @Value("${spring.data.redis.port}")
    int redisPort;

    @Test
    void configurationRoundTripsWithIncreasingVersions() {
        Setup s = setUpTenant("cfg-crud");

        JsonNode advertiser = send("GET", "/api/v1/advertisers/" + s.advertiserId(), s.key(), null).json();
        assertThat(advertiser.get("name").asText()).isEqualTo("Shop GmbH");
        assertThat(advertiser.get("version").asLong()).isEqualTo(1);
        Response renamed = send("PUT", "/api/v1/advertisers/" + s.advertiserId(), s.key(), "{\"name\":\"Shop AG\",\"defaultCurrency\":\"CHF\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("version").asLong()).isEqualTo(2);
        advertiser = send("GET", "/api/v1/advertisers/" + s.advertiserId(), s.key(), null).json();
        assertThat(advertiser.get("defaultCurrency").asText()).isEqualTo("CHF");
        assertThat(advertiser.get("version").asLong()).isEqualTo(2);

        JsonNode offer = send("GET", "/api/v1/offers/" + s.offerId(), s.key(), null).json();
        assertThat(offer.get("advertiserId").asText()).isEqualTo(s.advertiserId());
        assertThat(offer.get("attributionWindowSeconds").asLong()).isEqualTo(30L * 24 * 3600);
        assertThat(offer.at("/goals/1/payout/amount").asText()).isEqualTo("2.00");
        assertThat(offer.at("/goals/1/payout/currency").asText()).isEqualTo("EUR");
        assertThat(offer.at("/goals/0/payout/percent").asText()).isEqualTo("7");
        assertThat(offer.at("/caps/daily").asLong()).isEqualTo(100);
        Response updated = send("PUT", "/api/v1/offers/" + s.offerId(), s.key(), offerJson(s.advertiserId(), "PAUSED"));
        assertThat(updated.json().get("version").asLong()).isEqualTo(2);
        Response resumed = send("POST", "/api/v1/offers/" + s.offerId() + "/resume", s.key(), null);
        assertThat(resumed.json().get("version").asLong()).isEqualTo(3);
        offer = send("GET", "/api/v1/offers/" + s.offerId(), s.key(), null).json();
        assertThat(offer.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(offer.get("version").asLong()).isEqualTo(3);

        Response suspended = send("POST", "/api/v1/affiliates/" + s.affiliateId() + "/suspend", s.key(), null);
        assertThat(suspended.json().get("version").asLong()).isEqualTo(2);
        JsonNode affiliate = send("GET", "/api/v1/affiliates/" + s.affiliateId(), s.key(), null).json();
        assertThat(affiliate.get("status").asText()).isEqualTo("SUSPENDED");
        assertThat(affiliate.at("/payoutOverrides/0/goal").asText()).isEqualTo("sale");

        JsonNode link = send("GET", "/api/v1/links/" + s.linkId(), s.key(), null).json();
        assertThat(s.code()).matches("[0-9A-Za-z]{16}");
        assertThat(link.get("code").asText()).isEqualTo(s.code());
        assertThat(link.get("clickUrl").asText()).isEqualTo("/c/" + s.code());
        String secondOffer = create("/api/v1/offers", s.key(), offerJson(s.advertiserId(), "ACTIVE"));
        Response smart = send("PUT", "/api/v1/links/" + s.linkId(), s.key(),
                linkJson(s.affiliateId(), "[\"" + s.offerId() + "\",\"" + secondOffer + "\"]", "thompson-epc"));
        assertThat(smart.json().get("version").asLong()).isEqualTo(2);
        link = send("GET", "/api/v1/links/" + s.linkId(), s.key(), null).json();
        assertThat(link.get("policy").asText()).isEqualTo("thompson-epc");
        assertThat(link.get("code").asText()).isEqualTo(s.code());

        JsonNode events = JSON.valueToTree(jdbc.queryForList(
                "SELECT payloadtype FROM domainevententry WHERE aggregateidentifier = ? ORDER BY sequencenumber",
                String.class, s.offerId()));
        assertThat(events).hasSize(3);
        assertThat(events.get(2).asText()).isEqualTo("io.affnet.api.offer.OfferUpdatedEvent");
    }

    @Test
    void listsArePagedByIdWithACursor() {
        Setup s = setUpTenant("cfg-page");
        for (int i = 0; i < 4; i++) {
            create("/api/v1/advertisers", s.key(), advertiserJson("Adv " + i));
        }
        JsonNode first = send("GET", "/api/v1/advertisers?limit=2", s.key(), null).json();
        assertThat(first.get("items")).hasSize(2);
        JsonNode second = send("GET", "/api/v1/advertisers?limit=2&after=" + first.get("next").asText(), s.key(), null).json();
        JsonNode third = send("GET", "/api/v1/advertisers?limit=2&after=" + second.get("next").asText(), s.key(), null).json();
        assertThat(third.get("items")).hasSize(1);
        assertThat(third.get("next").isNull()).isTrue();
        assertThat(first.at("/items/1/id").asText()).isLessThan(second.at("/items/0/id").asText());
        assertThat(send("GET", "/api/v1/advertisers?limit=201", s.key(), null).status()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/advertisers?limit=0", s.key(), null).status()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/advertisers?limit=many", s.key(), null).status()).isEqualTo(400);
    }

    @Test
    void lookupCacheHoldsCurrentVersionsAndAnnouncesEachWrite() {
        RedisClient client = RedisClient.create(RedisURI.create(redisHost, redisPort));
        try (StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub()) {
            BlockingQueue<String> announced = new LinkedBlockingQueue<>();
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    announced.add(message);
                }
            });
            subscription.sync().subscribe(ConfigCacheKeys.CHANNEL);

            Setup s = setUpTenant("cfg-cache");
            String offerKey = ConfigCacheKeys.offer(s.tenantId(), s.offerId());
            String affiliateKey = ConfigCacheKeys.affiliate(s.tenantId(), s.affiliateId());
            String linkKey = ConfigCacheKeys.link(s.code());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(redis.opsForValue().get(offerKey)).isNotNull();
                assertThat(redis.opsForValue().get(affiliateKey)).isNotNull();
                assertThat(redis.opsForValue().get(linkKey)).isNotNull();
            });
            CachedOffer offer = ConfigCacheJson.read(redis.opsForValue().get(offerKey), CachedOffer.class);
            assertThat(offer.tenantId()).isEqualTo(s.tenantId());
            assertThat(offer.version()).isEqualTo(1);
            assertThat(offer.terms().goal("sale").payout()).isEqualTo(Amount.percentBasisPoints(700));
            assertThat(offer.terms().allowedCountries()).isEqualTo(Set.of("DE", "AT"));
            CachedAffiliate affiliate = ConfigCacheJson.read(redis.opsForValue().get(affiliateKey), CachedAffiliate.class);
            assertThat(affiliate.profile().override(s.offerId(), "sale").payout()).isEqualTo(Amount.fixed(250));
            CachedLink link = ConfigCacheJson.read(redis.opsForValue().get(linkKey), CachedLink.class);
            assertThat(link.tenantId()).isEqualTo(s.tenantId());
            assertThat(link.settings().offerIds()).isEqualTo(List.of(s.offerId()));

            send("POST", "/api/v1/offers/" + s.offerId() + "/pause", s.key(), null);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                CachedOffer paused = ConfigCacheJson.read(redis.opsForValue().get(offerKey), CachedOffer.class);
                assertThat(paused.version()).isEqualTo(2);
                assertThat(paused.terms().status()).isEqualTo(OfferStatus.PAUSED);
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> announced.stream().filter(offerKey::equals).count() >= 2);
            assertThat(announced).contains(affiliateKey, linkKey);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anotherTenantsIdsAnswerNotFoundAndNeverAppearInItsLists() {
        Setup a = setUpTenant("cfg-alpha");
        Setup b = setUpTenant("cfg-beta");
        long events = eventCount();
        String[][] foreign = {{"advertisers", a.advertiserId(), advertiserJson("Stolen")},
                {"offers", a.offerId(), offerJson(b.advertiserId(), "ACTIVE")},
                {"affiliates", a.affiliateId(), affiliateJson(null, null, "ACTIVE")},
                {"links", a.linkId(), linkJson(b.affiliateId(), "[\"" + b.offerId() + "\"]", null)}};
        for (String[] f : foreign) {
            Response get = send("GET", "/api/v1/" + f[0] + "/" + f[1], b.key(), null);
            Response missing = send("GET", "/api/v1/" + f[0] + "/nope_123", b.key(), null);
            Response put = send("PUT", "/api/v1/" + f[0] + "/" + f[1], b.key(), f[2]);
            assertThat(get.status()).as(f[0]).isEqualTo(404);
            assertThat(put.status()).as(f[0] + " " + put.body()).isEqualTo(404);
            assertThat(get.contentType()).startsWith("application/problem+json");
            assertThat(get.json().get("detail")).isEqualTo(missing.json().get("detail"));
            JsonNode list = send("GET", "/api/v1/" + f[0] + "?limit=200", b.key(), null).json();
            assertThat(list.get("items").findValuesAsText("id")).as(f[0]).doesNotContain(f[1]).isNotEmpty();
        }
        assertThat(send("POST", "/api/v1/offers/" + a.offerId() + "/pause", b.key(), null).status()).isEqualTo(404);
        assertThat(send("POST", "/api/v1/affiliates/" + a.affiliateId() + "/suspend", b.key(), null).status()).isEqualTo(404);
        Response crossRef = send("POST", "/api/v1/offers", b.key(), offerJson(a.advertiserId(), "ACTIVE"));
        assertThat(crossRef.status()).isEqualTo(400);
        assertThat(crossRef.json().at("/errors/0/field").asText()).isEqualTo("advertiserId");
        assertThat(crossRef.json().at("/errors/0/message").asText()).contains(a.advertiserId());
        assertThat(send("POST", "/api/v1/links", b.key(), linkJson(b.affiliateId(), "[\"" + a.offerId() + "\"]", null))
                .status()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void operatorKeyIsForbiddenOnTenantConfiguration() {
        Setup s = setUpTenant("cfg-roles");
        long events = eventCount();
        String[][] calls = {{"POST", "/api/v1/advertisers", advertiserJson("x")},
                {"PUT", "/api/v1/offers/" + s.offerId(), offerJson(s.advertiserId(), "ACTIVE")},
                {"POST", "/api/v1/affiliates/" + s.affiliateId() + "/suspend", null},
                {"POST", "/api/v1/links", linkJson(s.affiliateId(), "[\"" + s.offerId() + "\"]", null)},
                {"GET", "/api/v1/offers/" + s.offerId(), null},
                {"GET", "/api/v1/links", null}};
        for (String[] c : calls) {
            Response r = send(c[0], c[1], OPERATOR_KEY, c[2]);
            assertThat(r.status()).as(c[0] + " " + c[1]).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(eventCount()).isEqualTo(events);
    }
}
