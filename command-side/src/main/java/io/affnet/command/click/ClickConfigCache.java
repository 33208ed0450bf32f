package io.affnet.command.click;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.ConfigCacheKeys;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The click path's view of the configuration: links, offers, affiliates and tenants in process memory,
 * loaded from the Redis lookup cache on first use and dropped the moment the projection announces a
 * change on {@link ConfigCacheKeys#CHANNEL}. A warm click touches neither PostgreSQL nor Redis.
 * Entries also expire after a while (absent ones quickly), which bounds staleness should a change
 * message be lost while the subscription reconnects.
 */
public class ClickConfigCache {

    private static final int MAX_NEGATIVE_ENTRIES = 100_000;

    private final StringRedisTemplate redis;
    private final ObjectMapper json = ConfigCacheJson.MAPPER;
    private final Map<String, Entry<?>> entries = new ConcurrentHashMap<>();
    private final long ttlMillis;
    private final long negativeTtlMillis;
    private final LongSupplier clock;

    /** What the cache keeps about a tenant for clicks. */
    public record TenantState(String status, String timezone) {
        public boolean active() {
            return !"SUSPENDED".equals(status);
        }
    }

    private record Entry<T>(Optional<T> value, long loadedAt) {
    }

    public ClickConfigCache(StringRedisTemplate redis, long ttlMillis, long negativeTtlMillis, LongSupplier clock) {
        this.redis = redis;
        this.ttlMillis = ttlMillis;
        this.negativeTtlMillis = negativeTtlMillis;
        this.clock = clock;
    }

    public Optional<CachedLink> link(String code) {
        return get(ConfigCacheKeys.link(code), CachedLink.class);
    }

    public Optional<CachedOffer> offer(String tenantId, String offerId) {
        return get(ConfigCacheKeys.offer(tenantId, offerId), CachedOffer.class);
    }

    public Optional<CachedAffiliate> affiliate(String tenantId, String affiliateId) {
        return get(ConfigCacheKeys.affiliate(tenantId, affiliateId), CachedAffiliate.class);
    }

    @SuppressWarnings("unchecked")
    public Optional<TenantState> tenant(String tenantId) {
        String key = ConfigCacheKeys.tenant(tenantId);
        Entry<?> entry = entries.get(key);
        long now = clock.getAsLong();
        if (entry == null || expired(entry, now)) {
            Map<Object, Object> hash = redis.opsForHash().entries(key);
            Optional<TenantState> value = hash.isEmpty() ? Optional.empty()
                    : Optional.of(new TenantState((String) hash.get("status"), (String) hash.get("timezone")));
            entry = store(key, value, now);
        }
        return (Optional<TenantState>) entry.value();
    }

    /** Called for each message on the change channel: the message is the Redis key that changed. */
    public void invalidate(String key) {
        entries.remove(key);
    }

    public void invalidateAll() {
        entries.clear();
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> get(String key, Class<T> type) {
        Entry<?> entry = entries.get(key);
        long now = clock.getAsLong();
        if (entry == null || expired(entry, now)) {
            String raw = redis.opsForValue().get(key);
            Optional<T> value;
            try {
                value = raw == null ? Optional.empty() : Optional.of(json.readValue(raw, type));
            } catch (IOException e) {
                throw new IllegalStateException("Unreadable lookup-cache entry " + key, e);
            }
            entry = store(key, value, now);
        }
        return (Optional<T>) entry.value();
    }

    private <T> Entry<T> store(String key, Optional<T> value, long now) {
        Entry<T> entry = new Entry<>(value, now);
        if (value.isPresent() || entries.size() < MAX_NEGATIVE_ENTRIES) {
            entries.put(key, entry);
        }
        return entry;
    }

    private boolean expired(Entry<?> entry, long now) {
        return now - entry.loadedAt() > (entry.value().isPresent() ? ttlMillis : negativeTtlMillis);
    }
}
