package io.affnet.web.limits;

import io.affnet.web.degrade.StoreBreaker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token buckets shared by all nodes through Redis (Bucket4j's Lettuce proxy manager), one per limited
 * thing (a key, a tenant, an IP). A bucket's proxy is kept per node and talks to Redis only every few
 * tokens or milliseconds (Bucket4j's delaying optimisation), so a busy bucket costs a round trip per
 * batch rather than per request; the allowance of all nodes together may overshoot by that batch.
 * If Redis fails or does not answer, the shared breaker ({@link StoreBreaker}) opens and, until the
 * platform's probe finds Redis again, every limit is enforced by a bucket in this node's memory instead
 * (the same limit per node, so all nodes together may allow up to N times it): no request waits on Redis
 * while it is away, and limits still hold. Refusing all traffic because a counter store is down would
 * be the greater harm.
 */
public class RateLimiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final int MAX_LOCAL_BUCKETS = 50_000;

    /** A limit: {@code perSecond} tokens a second, up to {@code burst} at once. Zero or less: unlimited. */
    public record Limit(long perSecond, long burst) {
        public boolean unlimited() {
            return perSecond <= 0;
        }

        BucketConfiguration configuration() {
            long capacity = Math.max(burst, perSecond);
            return BucketConfiguration.builder()
                    .addLimit(l -> l.capacity(capacity).refillGreedy(perSecond, Duration.ofSeconds(1)))
                    .build();
        }

        /** Tokens a node may hand out before syncing: a fiftieth of a second's worth, at least one. */
        long unsynchronized() {
            return Math.max(1, perSecond / 50);
        }
    }

    private static final long RECONNECT_PAUSE_MS = 5_000;
    /** The longest a request waits on Redis for a bucket before the breaker opens; then none waits. */
    private static final long REQUEST_TIMEOUT_MS = 500;

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile long lastConnectAttempt;
    private final Map<String, BucketProxy> local = new ConcurrentHashMap<>();
    private final Map<String, Bucket> fallback = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong();
    private final StoreBreaker breaker;

    /** Connects on first use (the platform starts even while Redis is away); commands fail fast while disconnected. */
    public RateLimiter(RedisClient client, StoreBreaker breaker) {
        this.client = client;
        this.breaker = breaker;
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    }

    private ProxyManager<String> buckets() {
        ProxyManager<String> current = buckets;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (buckets == null && now - lastConnectAttempt > RECONNECT_PAUSE_MS) {
                lastConnectAttempt = now;
                connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                buckets = Bucket4jLettuce.casBasedBuilder(connection)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(60)))
                        .requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MS))
                        .build();
            }
            if (buckets == null) {
                throw new IllegalStateException("the bucket store is not connected yet");
            }
            return buckets;
        }
    }

    /** Empty when the request may go ahead; otherwise the seconds to wait before retrying (at least 1). */
    public OptionalLong tryConsume(String key, Limit limit) {
        if (limit.unlimited()) {
            return OptionalLong.empty();
        }
        // The limit is part of the bucket's name: nodes (or test runs) configured differently never share a bucket.
        key = key + ":" + limit.perSecond() + "/" + limit.burst();
        if (breaker.isOpen()) {
            return locally(key, limit);
        }
        try {
            BucketProxy bucket = local.get(key);
            if (bucket == null) {
                if (local.size() >= MAX_LOCAL_BUCKETS) {
                    local.clear();
                }
                ProxyManager<String> manager = buckets();
                bucket = local.computeIfAbsent(key, k -> manager.builder()
                        .withOptimization(Optimizations.delaying(new DelayParameters(limit.unsynchronized(), Duration.ofMillis(50))))
                        .build(k, limit::configuration));
            }
            return answer(bucket.tryConsumeAndReturnRemaining(1));
        } catch (RuntimeException e) {
            breaker.failed("rate-limit buckets: " + e);
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
                log.warn("Rate limits are enforced per node: the bucket store is unavailable ({})", e.toString());
            }
            return locally(key, limit);
        }
    }

    /** The limit from this node's own bucket, while the shared ones are out of reach. */
    private OptionalLong locally(String key, Limit limit) {
        Bucket bucket = fallback.get(key);
        if (bucket == null) {
            if (fallback.size() >= MAX_LOCAL_BUCKETS) {
                fallback.clear();
            }
            bucket = fallback.computeIfAbsent(key, k -> Bucket.builder()
                    .addLimit(l -> l.capacity(Math.max(limit.burst(), limit.perSecond())).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                    .build());
        }
        return answer(bucket.tryConsumeAndReturnRemaining(1));
    }

    private static OptionalLong answer(ConsumptionProbe probe) {
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        client.shutdown();
    }
}
