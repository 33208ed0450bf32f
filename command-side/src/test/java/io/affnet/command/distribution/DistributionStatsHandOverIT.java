package io.affnet.command.distribution;

import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.click.Decision;
import io.affnet.api.common.TenantId;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Segments;
import io.affnet.distribution.state.StateCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two nodes' learners on the real Redis, the learning segment moving from one to the other and back:
 * the node that lost it neither overwrites the new holder's snapshot nor, on taking it back, continues
 * from its stale memory. Clicks are discounted by their age, so counts are compared to within 0.01.
 */
class DistributionStatsHandOverIT {

    private static LettuceConnectionFactory connections;
    private static LearningStates states;

    @BeforeAll
    static void redis() {
        String host = System.getenv().getOrDefault("AFFNET_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("AFFNET_REDIS_PORT", "6379"));
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        connections.afterPropertiesSet();
        connections.start();
        states = new LearningStates(new StringRedisTemplate(connections));
    }

    @AfterAll
    static void close() {
        connections.destroy();
    }

    @Test
    void aNodeThatLostTheSegmentNeitherOverwritesTheHolderNorResumesFromStaleMemory() {
        String tenant = "t_hand_" + UUID.randomUUID().toString().substring(0, 8);
        String link = "l-" + UUID.randomUUID();
        AtomicBoolean aHolds = new AtomicBoolean(true);
        AtomicBoolean bHolds = new AtomicBoolean(false);
        DistributionStatsProjection a = new DistributionStatsProjection(states, aHolds::get);
        DistributionStatsProjection b = new DistributionStatsProjection(states, bHolds::get);

        a.on(click(tenant, link));
        a.flush();
        assertThat(clicks(tenant, link)).isCloseTo(1, within(0.01));

        // A stalls; its claim is taken by B, which starts from Redis and folds two more clicks.
        aHolds.set(false);
        bHolds.set(true);
        b.on(click(tenant, link));
        b.on(click(tenant, link));
        b.flush();
        assertThat(clicks(tenant, link)).isCloseTo(3, within(0.01));
        a.flush();
        assertThat(clicks(tenant, link)).as("A no longer holds the segment: its flush writes nothing").isCloseTo(3, within(0.01));

        // B goes away; A takes the segment back and folds one click: it starts from B's snapshot.
        bHolds.set(false);
        aHolds.set(true);
        a.on(click(tenant, link));
        a.flush();
        assertThat(clicks(tenant, link)).as("A resumes from the holder's snapshot, not its own stale memory").isCloseTo(4, within(0.01));
    }

    private static double clicks(String tenant, String link) {
        PolicyState state = StateCodec.decode(states.encoded(tenant, link));
        return state.stats("o-1", Segments.GLOBAL).clicks();
    }

    private static ClickRecordedEvent click(String tenant, String link) {
        return new ClickRecordedEvent(TenantId.of(tenant), "c-" + UUID.randomUUID(), link, "code", "a-1", 1, "o-1", 1, null,
                List.of(), Map.of(), Instant.now(), "ua", null, "desktop", "DE", "h", "203.0.113", ClickOutcome.OFFER, null,
                new Decision("thompson", "1", List.of("o-1", "o-2"), "o-1", 0.5), true);
    }
}
