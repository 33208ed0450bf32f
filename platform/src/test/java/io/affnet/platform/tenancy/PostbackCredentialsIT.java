package io.affnet.platform.tenancy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.command.postback.PostbackCredentials;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.TcpProxy;
import io.affnet.platform.support.Traffic;
import io.affnet.web.auth.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Postback tokens, settings and advertisers' allowlists are kept in each node's memory for long, and
 * every node drops an entry as soon as its change commits. "Another node" here is a second
 * {@link PostbackCredentials} with its own subscription to the change channel that would trust its
 * entries for ten minutes: only the announcement can make it let go in time.
 */
class PostbackCredentialsIT extends PlatformIT {

    @Autowired
    ApiKeys keys;

    @Autowired
    RedisConnectionFactory connections;

    @Autowired
    StringRedisTemplate redis;

    private final List<RedisMessageListenerContainer> containers = new ArrayList<>();

    @AfterEach
    void stopOtherNodes() throws Exception {
        for (RedisMessageListenerContainer container : containers) {
            container.destroy();
        }
    }

    @Test
    void aRevokedTokenIsRefusedRightAfterRevocationThoughItWasCached() throws Exception {
        Traffic t = Traffic.tenant(this, "revoke", false);
        String click = t.clickId(t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400)));
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=R1").body()).isEqualTo("accepted");

        Response revoke = send("DELETE", "/api/v1/postback-tokens/" + tokenId(t), t.key, null);
        assertThat(revoke.status()).isEqualTo(204);

        Response refused = t.postback("click_id=" + click + "&goal=sale&amount=10&txn_id=R2");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void everyNodeDropsARevokedTokenWhenTheRevocationCommits() throws Exception {
        Traffic t = Traffic.tenant(this, "revoke-nodes", false);
        PostbackCredentials other = otherNode(1000);
        assertThat(other.tenantOf(t.token)).contains(t.tenantId);

        assertThat(send("DELETE", "/api/v1/postback-tokens/" + tokenId(t), t.key, null).status()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(60)).until(() -> other.tenantOf(t.token).isEmpty());
    }

    @Test
    void everyNodeSeesChangedSettingsAndAllowlists() throws Exception {
        Traffic t = Traffic.tenant(this, "settings-nodes", false);
        PostbackCredentials other = otherNode(1000);
        assertThat(other.settings(t.tenantId).fraud().minSecondsToConvert()).isZero();
        assertThat(other.allowlist(t.tenantId, t.advertiserId)).isEmpty();

        assertThat(send("PUT", "/api/v1/postback-settings", t.key,
                "{\"fraud\":{\"minSecondsToConvert\":30,\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false}}")
                .status()).isEqualTo(200);
        assertThat(send("PUT", "/api/v1/advertisers/" + t.advertiserId, t.key,
                "{\"name\":\"Shop GmbH\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"203.0.113.0/24\"]}")
                .status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> other.settings(t.tenantId).fraud().minSecondsToConvert() == 30);
        await().atMost(Duration.ofSeconds(60)).until(() -> other.allowlist(t.tenantId, t.advertiserId).size() == 1);
    }

    @Test
    void aNodeThatMissedAnnouncementsWhileCutOffForgetsEverythingWhenItResubscribes() throws Exception {
        Traffic t = Traffic.tenant(this, "cut-off", false);
        LettuceConnectionFactory redisFactory = (LettuceConnectionFactory) connections;
        try (TcpProxy relay = new TcpProxy(redisFactory.getPort())) {
            LettuceConnectionFactory cutOff = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                    redisFactory.getHostName(), relay.port()));
            cutOff.afterPropertiesSet();
            cutOff.start();
            try {
                PostbackCredentials other = otherNode(cutOff, 1000);
                assertThat(other.tenantOf(t.token)).contains(t.tenantId);

                relay.pause();
                assertThat(send("DELETE", "/api/v1/postback-tokens/" + tokenId(t), t.key, null).status()).isEqualTo(204);
                assertThat(other.tenantOf(t.token)).as("the announcement did not reach it").contains(t.tenantId);

                relay.resume();
                await().atMost(Duration.ofSeconds(60)).until(() -> other.tenantOf(t.token).isEmpty());
            } finally {
                for (RedisMessageListenerContainer container : containers) {
                    container.destroy();
                }
                containers.clear();
                cutOff.destroy();
            }
        }
    }

    @Test
    void aFloodOfUnknownTokensStaysWithinTheBoundAndKeepsTheTokensInUse() throws Exception {
        Traffic t = Traffic.tenant(this, "bound", false);
        PostbackCredentials other = otherNode(100);
        for (int i = 0; i < 2000; i++) {
            if (i % 10 == 0) {
                assertThat(other.tenantOf(t.token)).contains(t.tenantId);
            }
            assertThat(other.tenantOf("afn_pb_unknown" + i)).isEmpty();
        }
        assertThat(other.size()).isLessThanOrEqualTo(100);

        // Revoked behind the cache's back (no announcement): only a remembered answer still names the tenant.
        jdbc.update("UPDATE postback_token SET revoked_at = now() WHERE tenant_id = ?", t.tenantId);
        assertThat(other.tenantOf(t.token)).as("the token in use is still in memory").contains(t.tenantId);
        assertThat(otherNode(100).tenantOf(t.token)).isEmpty();
    }

    private String tokenId(Traffic t) {
        return send("GET", "/api/v1/postback-settings", t.key, null).json().at("/tokens/0/tokenId").asText();
    }

    /** A second node's credentials: its own memory and subscription, entries trusted for ten minutes. */
    private PostbackCredentials otherNode(long maxEntries) throws Exception {
        return otherNode(connections, maxEntries);
    }

    private PostbackCredentials otherNode(RedisConnectionFactory subscription, long maxEntries) throws Exception {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(subscription);
        container.afterPropertiesSet();
        containers.add(container);
        PostbackCredentials node = new PostbackCredentials(jdbc, keys, Duration.ofMinutes(10), Duration.ofMinutes(10),
                maxEntries, Ticker.systemTicker());
        node.listenTo(container);
        container.start();
        // Subscribed once an announcement reaches it: a probe entry is dropped.
        String probe = "probe-" + System.nanoTime();
        node.settings(probe);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            redis.convertAndSend(ConfigCacheKeys.CHANNEL, ConfigCacheKeys.postbackSettings(probe));
            return node.size() == 0;
        });
        return node;
    }
}
