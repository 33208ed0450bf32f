package io.affnet.command.click;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.web.degrade.StoreBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The click path's view of the configuration: links, offers, affiliates and tenants in process memory,
 * loaded from the Redis lookup cache on first use and dropped the moment the projection announces a
 * change on {@link ConfigCacheKeys#CHANNEL}. A warm click touches neither PostgreSQL nor Redis.
 * Entries also expire after a while (absent ones quickly), which bounds staleness should a change
 * message be lost while the subscription reconnects. An expired entry is answered while it is reloaded
 * in the background, so an entry this node holds outlives any Redis outage (docs/operations.md).
 */
public class ClickConfigCache {

    private static final Logger log = LoggerFactory.getLogger(ClickConfigCache.class);
    private static final int MAX_NEGATIVE_ENTRIES = 100_000;

    private final StringRedisTemplate redis;
    private final StoreBreaker breaker;
    private final long missTimeoutMillis;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final AtomicLong staleServed = new AtomicLong();
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

    /**
     * @param missTimeoutMillis the longest a request waits for an entry this node does not hold (it has
     *                          no fallback but a 503, so it may wait longer than a cap read)
     */
    public ClickConfigCache(StringRedisTemplate redis, StoreBreaker breaker, long missTimeoutMillis, long ttlMillis,
                            long negativeTtlMillis, LongSupplier clock) {
        this.redis = redis;
        this.breaker = breaker;
        this.missTimeoutMillis = missTimeoutMillis;
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

    public Optional<TenantState> tenant(String tenantId) {
        String key = ConfigCacheKeys.tenant(tenantId);
        return get(key, () -> {
            Map<Object, Object> hash = redis.opsForHash().entries(key);
            return hash.isEmpty() ? Optional.empty() : Optional.of(hash);
        }, hash -> new TenantState((String) hash.get("status"), (String) hash.get("timezone")));
    }

    /**
     * For the postback path, which can go on without these entries: the lookup's answer, or empty when
     * the entry is not in memory and Redis cannot be asked (the caller's default for an unknown entry).
     */
    public static <T> Optional<T> ifAvailable(Supplier<Optional<T>> lookup) {
        try {
            return lookup.get();
        } catch (ConfigurationUnavailableException e) {
            return Optional.empty();
        }
    }

    /** Called for each message on the change channel: the message is the Redis key that changed. */
    public void invalidate(String key) {
        entries.remove(key);
    }

    public void invalidateAll() {
        entries.clear();
    }

    private <T> Optional<T> get(String key, Class<T> type) {
        return get(key, () -> Optional.ofNullable(redis.opsForValue().get(key)), raw -> parse(key, raw, type));
    }

    private <T> T parse(String key, String raw, Class<T> type) {
        try {
            return json.readValue(raw, type);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable lookup-cache entry " + key, e);
        }
    }

    /**
     * The entry in memory while fresh. An expired one is still answered at once (serve-stale) while one
     * background load replaces it; so a Redis outage never fails a key this node has seen. Only a key
     * never seen (or dropped by a change message) waits for Redis, at most the breaker's timeout.
     */
    @SuppressWarnings("unchecked")
    private <W, R> Optional<R> get(String key, Supplier<Optional<W>> fetch, Function<W, R> convert) {
        Entry<?> entry = entries.get(key);
        long now = clock.getAsLong();
        if (entry != null && !expired(entry, now)) {
            return (Optional<R>) entry.value();
        }
        if (entry != null) {
            staleServed.incrementAndGet();
            refreshInBackground(key, (Entry<R>) entry, fetch, convert);
            return (Optional<R>) entry.value();
        }
        // Only the Redis call is the breaker's: an unreadable entry is no sign of Redis being away.
        Optional<Optional<W>> fetched = breaker.call(fetch, missTimeoutMillis);
        if (fetched.isEmpty()) {
            throw new ConfigurationUnavailableException(key);
        }
        return store(key, fetched.get().map(convert), now).value();
    }

    private <W, R> void refreshInBackground(String key, Entry<R> stale, Supplier<Optional<W>> fetch, Function<W, R> convert) {
        if (!refreshing.add(key)) {
            return;
        }
        if (breaker.isOpen()) {
            refreshing.remove(key);
            return;
        }
        breaker.fireAndForget(() -> {
            try {
                Optional<W> fetched = fetch.get();
                Optional<R> value;
                try {
                    value = fetched.map(convert);
                } catch (RuntimeException unreadable) {
                    log.warn("Lookup-cache entry {} could not be read; the previous copy stays: {}", key, unreadable.toString());
                    return;
                }
                // Only over the stale entry: a change message that dropped it meanwhile wins.
                entries.replace(key, stale, new Entry<>(value, clock.getAsLong()));
            } finally {
                refreshing.remove(key);
            }
        });
    }

    /** Expired entries answered from memory because a fresh copy was not at hand (Redis away, or loading). */
    public long staleServed() {
        return staleServed.get();
    }

    /** A configuration entry this node does not hold, while Redis cannot be asked. */
    public static final class ConfigurationUnavailableException extends RuntimeException {
        public ConfigurationUnavailableException(String key) {
            super("configuration entry " + key + " is not in memory and Redis is unavailable", null, false, false);
        }
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
