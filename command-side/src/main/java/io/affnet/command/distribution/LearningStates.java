package io.affnet.command.distribution;

import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StateCodec;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.HashMap;
import java.util.Map;

/**
 * The learning state of smart links in Redis, and the only class that touches it: the encoded
 * {@code PolicyState} of each link, a hash under {@code affnet:t:<tenant>:dstate:<link>} (see
 * {@link StateCodec}). Written by {@link DistributionStatsProjection}; read by the selector on every
 * node and by the distribution API. What a conversion needs to be credited to the right (link, offer,
 * segment) travels on the conversion event itself ({@code SmartLinkContext}).
 */
public class LearningStates {

    private static final String PATTERN = "affnet:t:*:dstate:*";

    private final StringRedisTemplate redis;

    public LearningStates(StringRedisTemplate redis) {
        this.redis = redis;
    }

    static String key(String tenantId, String linkId) {
        return "affnet:t:" + tenantId + ":dstate:" + linkId;
    }

    /** The link's encoded state (its {@code version} field first to look at); empty when it has none yet. */
    public Map<String, String> encoded(String tenantId, String linkId) {
        Map<Object, Object> raw = redis.opsForHash().entries(key(tenantId, linkId));
        Map<String, String> encoded = new HashMap<>(raw.size() * 2);
        raw.forEach((k, v) -> encoded.put((String) k, (String) v));
        return encoded;
    }

    /** Replaces the link's state. */
    public void write(String tenantId, PolicyState state) {
        String key = key(tenantId, state.linkId());
        redis.delete(key);
        redis.opsForHash().putAll(key, StateCodec.encode(state));
    }

    /** Drops every link's state (a replay rebuilds them). */
    public void clearAll() {
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(PATTERN).count(500).build())) {
            keys.forEachRemaining(redis::delete);
        }
    }
}
