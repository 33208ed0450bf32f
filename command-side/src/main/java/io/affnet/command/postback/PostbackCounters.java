package io.affnet.command.postback;

import io.affnet.web.degrade.StoreBreaker;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The refused-postback counters a tenant sees in its postback settings, in Redis: reports without a
 * valid token that arrived on its tracking domain ({@code unauthorized}; elsewhere they are counted
 * installation-wide, never on the tenant of a click they name), and reports from an address outside
 * an advertiser's allowlist ({@code forbidden}). This class owns the key family
 * {@code affnet:t:<tenant>:postback:<kind>}; counting never fails a postback.
 */
public class PostbackCounters {

    enum Kind {
        UNAUTHORIZED, FORBIDDEN;

        String key(String tenantId) {
            return "affnet:t:" + tenantId + ":postback:" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final StringRedisTemplate redis;
    private final StoreBreaker breaker;

    public PostbackCounters(StringRedisTemplate redis, StoreBreaker breaker) {
        this.redis = redis;
        this.breaker = breaker;
    }

    /** Not awaited, and skipped while Redis is away: a counter for display; the refusal itself does not depend on it. */
    public void count(String tenantId, Kind kind) {
        breaker.fireAndForget(() -> redis.opsForValue().increment(kind.key(tenantId)));
    }

    /** Postbacks refused for a missing or wrong token that arrived on no tenant's tracking domain (the operator's). */
    public static final String UNATTRIBUTED_UNAUTHORIZED = "affnet:postback:unauthorized";

    public void countUnattributed() {
        breaker.fireAndForget(() -> redis.opsForValue().increment(UNATTRIBUTED_UNAUTHORIZED));
    }

    public long read(String tenantId, Kind kind) {
        String value = redis.opsForValue().get(kind.key(tenantId));
        return value == null ? 0 : Long.parseLong(value);
    }
}
