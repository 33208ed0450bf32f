package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.affnet.api.common.Cidr;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.config.LocalConfigCache;
import io.affnet.api.offer.PixelSettings;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.web.auth.ApiKeys;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a postback's token to its tenant, a tenant to its postback settings and an advertiser to its
 * postback IP allowlist, from the same-transaction read models, and keeps the answers in memory: a
 * warm postback does not query PostgreSQL for them, however many tenants send postbacks.
 *
 * <p>Entries are named by their keys on the change channel ({@link ConfigCacheKeys#postbackToken},
 * {@link ConfigCacheKeys#postbackSettings}, {@link ConfigCacheKeys#advertiser}). The projections that
 * write those read models announce each change once it commits, and every node drops its entry
 * ({@link #listenTo}); the node that made the change also drops its own right after the commit
 * ({@link LocalConfigCache}), before the change's request is answered.
 * A load and the invalidation of the same entry exclude each other (per-entry lock), so an answer read
 * before a change's commit is not kept after its announcement. Announcements lost while the connection
 * to Redis was down are made up for by dropping everything when the subscription is made again; entries
 * also expire ({@code ttl}, unknown tokens after {@code negativeTtl}) should a subscription stall
 * unnoticed. The number of entries is bounded; the least useful are evicted first
 * (frequency and recency, so a flood of unknown tokens does not push out the tokens in use).
 */
public class PostbackCredentials implements LocalConfigCache {

    private final JdbcTemplate jdbc;
    private final ApiKeys hasher;
    private final ObjectMapper json = ConfigCacheJson.MAPPER;
    private final Cache<String, Object> entries;

    public PostbackCredentials(JdbcTemplate jdbc, ApiKeys hasher, Duration ttl, Duration negativeTtl, long maxEntries,
                               Ticker ticker) {
        this.jdbc = jdbc;
        this.hasher = hasher;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.creating((String key, Object value) ->
                        value instanceof Optional<?> tenant && tenant.isEmpty() ? negativeTtl : ttl))
                .ticker(ticker)
                .build();
    }

    /** Whose an active token is: its tenant, and the advertiser when it is an advertiser's own (else null). */
    public record TokenScope(String tenantId, String advertiserId) {
    }

    /** The tenant whose active token this is. */
    public Optional<String> tenantOf(String token) {
        return scopeOf(token).map(TokenScope::tenantId);
    }

    @SuppressWarnings("unchecked")
    public Optional<TokenScope> scopeOf(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hasher.hash(token);
        return (Optional<TokenScope>) entries.get(ConfigCacheKeys.postbackToken(hash), key -> jdbc.query(
                "SELECT tenant_id, advertiser_id FROM postback_token WHERE token_hash = ? AND revoked_at IS NULL",
                (rs, row) -> new TokenScope(rs.getString(1), rs.getString(2)), hash).stream().findFirst());
    }

    /** The tenant's tokens for its settings page: ids, prefixes and dates, never the hashes (not cached). */
    public List<java.util.Map<String, Object>> tokens(String tenantId) {
        return jdbc.queryForList("SELECT token_id AS \"tokenId\", prefix, advertiser_id AS \"advertiserId\", "
                + "issued_at AS \"issuedAt\", revoked_at AS \"revokedAt\" FROM postback_token WHERE tenant_id = ? "
                + "ORDER BY issued_at", tenantId);
    }

    public PostbackSettings settings(String tenantId) {
        return (PostbackSettings) entries.get(ConfigCacheKeys.postbackSettings(tenantId), key -> {
            List<String> found = jdbc.queryForList("SELECT settings::text FROM tenant_postback_settings WHERE tenant_id = ?",
                    String.class, tenantId);
            if (found.isEmpty()) {
                return PostbackSettings.defaults();
            }
            try {
                return json.readValue(found.get(0), PostbackSettings.class);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable postback settings of " + tenantId, e);
            }
        });
    }

    /** The CIDR ranges an advertiser's postbacks must come from; empty = anywhere. */
    @SuppressWarnings("unchecked")
    public List<Cidr> allowlist(String tenantId, String advertiserId) {
        if (advertiserId == null) {
            return List.of();
        }
        return (List<Cidr>) entries.get(ConfigCacheKeys.advertiser(tenantId, advertiserId), key -> {
            List<String> bodies = jdbc.queryForList(
                    "SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?", String.class,
                    tenantId, ConfigEntityKinds.ADVERTISER, advertiserId);
            List<Cidr> ranges = new ArrayList<>();
            if (!bodies.isEmpty()) {
                try {
                    json.readTree(bodies.get(0)).path("postbackIpAllowlist").forEach(n -> ranges.add(Cidr.parse(n.asText())));
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable advertiser " + advertiserId, e);
                }
            }
            return List.copyOf(ranges);
        });
    }

    /** An offer's browser-pixel settings; off for an offer never configured. */
    public PixelSettings pixel(String tenantId, String offerId) {
        if (offerId == null) {
            return PixelSettings.off();
        }
        return (PixelSettings) entries.get(ConfigCacheKeys.offerPixel(tenantId, offerId), key -> {
            List<String> bodies = jdbc.queryForList(
                    "SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?", String.class,
                    tenantId, ConfigEntityKinds.OFFER_PIXEL, offerId);
            if (bodies.isEmpty()) {
                return PixelSettings.off();
            }
            try {
                return json.readValue(bodies.get(0), PixelSettings.class);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable pixel settings of offer " + offerId, e);
            }
        });
    }

    /** Drops the entry a change-channel key names; keys of other caches are ignored. */
    @Override
    public void invalidate(String key) {
        entries.invalidate(key);
    }

    /**
     * Drops an entry on this node whenever its key is announced on the change channel, and every entry
     * whenever the subscription is made again after the connection to Redis was lost: announcements sent
     * meanwhile never arrive.
     */
    public void listenTo(RedisMessageListenerContainer container) {
        container.addMessageListener(new Announcements(), new ChannelTopic(ConfigCacheKeys.CHANNEL));
    }

    private final class Announcements implements MessageListener, SubscriptionListener {

        @Override
        public void onMessage(Message message, byte[] pattern) {
            invalidate(new String(message.getBody(), StandardCharsets.UTF_8));
        }

        @Override
        public void onChannelSubscribed(byte[] channel, long count) {
            entries.invalidateAll();
        }
    }

    /** Entries held now, after pending evictions. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}
