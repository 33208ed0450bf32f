package io.affnet.web.limits;

import io.affnet.web.degrade.StoreBreaker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** With no Redis to ask, limits hold per node and no request waits on Redis once the breaker knows. */
class RateLimiterFallbackTest {

    @Test
    void withoutRedisTheLimitIsEnforcedLocallyWithoutWaiting() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StoreBreaker breaker = new StoreBreaker("Redis", 100, 2);
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(closedPort).withTimeout(Duration.ofSeconds(2)).build();
        try (RateLimiter limiter = new RateLimiter(RedisClient.create(uri), breaker)) {
            // A burst of 5 refilled at one a second: a slow refill, so a loaded machine adds few tokens.
            RateLimiter.Limit limit = new RateLimiter.Limit(1, 5);
            long first = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                assertThat(limiter.tryConsume("ip:1", limit)).as("the first requests find Redis away").isEmpty();
            }
            assertThat(breaker.isOpen()).as("three failures in a row").isTrue();

            long start = System.nanoTime();
            int allowed = 3;
            OptionalLong refused = OptionalLong.empty();
            for (int i = 0; i < 20; i++) {
                OptionalLong answer = limiter.tryConsume("ip:1", limit);
                if (answer.isEmpty()) {
                    allowed++;
                } else {
                    refused = answer;
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no request waited on Redis (20 bounded waits would be 2 s)").isLessThan(1_500);
            // The burst, plus what refilled meanwhile: one per whole second since the first request.
            long refilled = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - first);
            assertThat(allowed).as("the burst of 5, counted locally").isBetween(5, 5 + (int) refilled);
            assertThat(refused).isPresent();
            assertThat(limiter.tryConsume("ip:2", limit)).as("another client has its own bucket").isEmpty();
        } finally {
            breaker.close();
        }
    }
}
