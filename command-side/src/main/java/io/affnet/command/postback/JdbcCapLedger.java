package io.affnet.command.postback;

import io.affnet.domain.click.CapLedger;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import io.affnet.web.degrade.StoreBreaker;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cap counters in PostgreSQL ({@code cap_counter}), the exact ones. A hold locks the rows in key
 * order (so two postbacks never deadlock) inside the conversion's transaction; a concurrent postback
 * waits for the lock and sees the new count. After the commit the new counts are mirrored to Redis,
 * where the click path reads them to steer capped traffic early.
 */
public class JdbcCapLedger implements CapLedger {

    /**
     * Counters only grow, so the mirror only ever raises a key: after-commit callbacks of one batch run in
     * reverse order and other nodes' mirrors interleave, and neither may lower a count already written.
     */
    private static final RedisScript<Long> RAISE = new DefaultRedisScript<>("""
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local next = tonumber(ARGV[1])
            if next > current then redis.call('SET', KEYS[1], ARGV[1]) return next end
            return current""", Long.class);

    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final StoreBreaker breaker;

    public JdbcCapLedger(JdbcTemplate jdbc, StringRedisTemplate redis, StoreBreaker breaker) {
        this.breaker = breaker;
        this.jdbc = jdbc;
        this.redis = redis;
    }

    @Override
    public Hold hold(Map<String, Long> limits) {
        if (limits.isEmpty()) {
            return NONE;
        }
        List<String> keys = new ArrayList<>(limits.keySet());
        keys.sort(String::compareTo);
        for (String key : keys) {
            jdbc.update("INSERT INTO cap_counter (counter_key, count) VALUES (?, 0) ON CONFLICT (counter_key) DO NOTHING", key);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT counter_key, count FROM cap_counter WHERE counter_key = ANY (?) ORDER BY counter_key FOR UPDATE",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, (Object) keys.toArray(new String[0]));
        boolean full = keys.stream().anyMatch(key -> counts.getOrDefault(key, 0L) >= limits.get(key));
        return new Hold() {
            @Override
            public boolean full() {
                return full;
            }

            @Override
            public void take() {
                if (full) {
                    throw new IllegalStateException("a full cap has no slot to take");
                }
                jdbc.update("UPDATE cap_counter SET count = count + 1 WHERE counter_key = ANY (?)",
                        (Object) keys.toArray(new String[0]));
                counts.replaceAll((k, v) -> v + 1);
                mirrorToRedisAfterCommit(counts);
            }
        };
    }

    private void mirrorToRedisAfterCommit(Map<String, Long> counts) {
        if (counts.isEmpty() || !CurrentUnitOfWork.isStarted()) {
            return;
        }
        // Not awaited (the batch's answers must not wait on Redis) and skipped while Redis is away: Redis
        // only steers clicks early; the exact counter in PostgreSQL still holds the cap. The script only
        // ever raises a key, so mirrors arriving out of order, or the next conversion's, put it right.
        CurrentUnitOfWork.get().afterCommit(uow -> breaker.fireAndForget(() ->
                counts.forEach((key, count) -> redis.execute(RAISE, List.of(key), Long.toString(count)))));
    }
}
