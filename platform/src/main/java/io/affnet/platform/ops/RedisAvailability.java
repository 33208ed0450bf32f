package io.affnet.platform.ops;

import io.affnet.web.degrade.StoreBreaker;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether Redis answers, as the request paths see it: a PING every {@code every} through the shared
 * {@link StoreBreaker} (bounded by {@code timeout}) opens the breaker when Redis does not answer and
 * closes it when it answers again. The health component {@code redis} is this state, read from memory:
 * {@code /actuator/health} never waits on Redis (Spring Boot's own Redis indicator waited up to the
 * client's 2 s command timeout).
 */
public class RedisAvailability implements HealthIndicator, AutoCloseable {

    private final StoreBreaker breaker;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redis-availability-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastAnswerAt;

    public RedisAvailability(RedisConnectionFactory redis, StoreBreaker breaker, Duration every, Duration timeout) {
        this.breaker = breaker;
        executor.scheduleWithFixedDelay(() -> {
            if (breaker.probe(() -> {
                try (RedisConnection c = redis.getConnection()) {
                    c.ping();
                }
            }, timeout.toMillis())) {
                lastAnswerAt = System.currentTimeMillis();
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Health health() {
        if (!breaker.isOpen() && lastAnswerAt != 0) {
            return Health.up().build();
        }
        Health.Builder down = Health.down().withDetail("degraded", "clicks use the configuration and cap answers in memory, "
                + "rate limits are per node, unique flags are not set");
        if (lastAnswerAt != 0) {
            down.withDetail("lastAnswerAt", java.time.Instant.ofEpochMilli(lastAnswerAt).toString());
        }
        return down.withDetail("error", breaker.lastFailure()).build();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
