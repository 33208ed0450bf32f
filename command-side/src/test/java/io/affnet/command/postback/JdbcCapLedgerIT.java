package io.affnet.command.postback;

import io.affnet.api.config.CapKeys;
import io.affnet.web.testing.PostgresSchema;
import io.affnet.domain.click.CapLedger;
import io.affnet.web.degrade.StoreBreaker;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The exact cap counters on the real {@code cap_counter} (PostgreSQL) and their mirror in the real Redis,
 * with keys of a tenant id of their own.
 */
class JdbcCapLedgerIT {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

    private static PostgresSchema schema;
    private static LettuceConnectionFactory redisConnections;
    private static StringRedisTemplate redis;
    private static StoreBreaker breaker;
    private static JdbcCapLedger ledger;

    @BeforeAll
    static void stores() {
        schema = PostgresSchema.create();
        String host = System.getenv().getOrDefault("AFFNET_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("AFFNET_REDIS_PORT", "6379"));
        redisConnections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        redisConnections.afterPropertiesSet();
        redisConnections.start();
        redis = new StringRedisTemplate(redisConnections);
        breaker = new StoreBreaker("redis", 5_000, 1);
        ledger = new JdbcCapLedger(schema.jdbc(), redis, breaker);
    }

    @AfterAll
    static void close() {
        if (breaker != null) {
            breaker.close();
        }
        if (redisConnections != null) {
            redisConnections.destroy();
        }
        if (schema != null) {
            schema.close();
        }
    }

    private static String tenant() {
        return "t_cap_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static long count(JdbcTemplate jdbc, String key) {
        return jdbc.queryForObject("SELECT count FROM cap_counter WHERE counter_key = ?", Long.class, key);
    }

    @Test
    void aHoldIsFullOnceAnyOfItsCountersHasReachedItsLimit() {
        String tenant = tenant();
        String day = CapKeys.offerDay(tenant, "off_1", DAY);
        String lifetime = CapKeys.offerLifetime(tenant, "off_1");
        Map<String, Long> limits = Map.of(day, 2L, lifetime, 5L);
        for (int i = 0; i < 2; i++) {
            CapLedger.Hold hold = ledger.hold(limits);
            assertThat(hold.full()).as("conversion %d", i + 1).isFalse();
            hold.take();
        }
        CapLedger.Hold third = ledger.hold(limits);
        assertThat(third.full()).as("the daily cap of 2 is reached, the lifetime one of 5 is not").isTrue();
        assertThatThrownBy(third::take).isInstanceOf(IllegalStateException.class);
        assertThat(count(schema.jdbc(), day)).isEqualTo(2);
        assertThat(count(schema.jdbc(), lifetime)).as("a full hold takes nothing").isEqualTo(2);
        assertThat(ledger.hold(Map.of(lifetime, 5L)).full()).as("another counter alone").isFalse();
    }

    @Test
    void aCapOfZeroIsFullAtOnceAndNoLimitsHoldNothing() {
        String key = CapKeys.affiliateDay(tenant(), "off_1", "aff_1", DAY);
        assertThat(ledger.hold(Map.of(key, 0L)).full()).isTrue();
        assertThat(ledger.hold(Map.of())).isSameAs(CapLedger.NONE);
    }

    @Test
    void aSecondHoldWaitsForTheFirstTransactionAndThenFindsItsSlotTaken() throws Exception {
        String key = CapKeys.offerDay(tenant(), "off_1", DAY);
        Map<String, Long> limits = Map.of(key, 1L);
        String waiter = "cs-cap-" + UUID.randomUUID().toString().substring(0, 8);
        DataSource firstSource = schema.dataSource(null);
        DataSource secondSource = schema.dataSource(waiter);
        TransactionTemplate first = new TransactionTemplate(new DataSourceTransactionManager(firstSource));
        TransactionTemplate second = new TransactionTemplate(new DataSourceTransactionManager(secondSource));
        JdbcCapLedger firstLedger = new JdbcCapLedger(new JdbcTemplate(firstSource), redis, breaker);
        JdbcCapLedger secondLedger = new JdbcCapLedger(new JdbcTemplate(secondSource), redis, breaker);

        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> firstDone = CompletableFuture.runAsync(() -> first.executeWithoutResult(status -> {
            CapLedger.Hold hold = firstLedger.hold(limits);
            assertThat(hold.full()).isFalse();
            hold.take();
            taken.countDown();
            try {
                assertThat(release.await(120, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        assertThat(taken.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> secondFull = CompletableFuture.supplyAsync(() ->
                second.execute(status -> secondLedger.hold(limits).full()));
        // The second transaction is blocked on the first one's row lock, not answered from a stale count.
        await().atMost(Duration.ofSeconds(60)).until(() -> schema.admin().queryForObject(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'",
                Long.class, waiter) == 1);
        assertThat(secondFull).isNotDone();
        release.countDown();
        firstDone.get(60, TimeUnit.SECONDS);
        assertThat(secondFull.get(60, TimeUnit.SECONDS)).as("the slot the first transaction took").isTrue();
        assertThat(count(schema.jdbc(), key)).isEqualTo(1);
    }

    @Test
    void afterCommitTheCountsAreMirroredToRedisWhichOnlyEverRises() {
        String tenant = tenant();
        String day = CapKeys.offerDay(tenant, "off_1", DAY);
        String lifetime = CapKeys.offerLifetime(tenant, "off_1");
        // Another node's mirror already wrote a higher lifetime count; this one's lower count must not lower it.
        redis.opsForValue().set(lifetime, "10", Duration.ofMinutes(10));
        try {
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>("a conversion"));
            CapLedger.Hold hold = ledger.hold(Map.of(day, 3L, lifetime, 100L));
            hold.take();
            assertThat(redis.hasKey(day)).as("nothing is mirrored before the commit").isFalse();
            unitOfWork.commit();
            // The mirror writes in key order (":all" before ":d:"): once the day key is there, both are done.
            await().atMost(Duration.ofSeconds(60)).until(() -> "1".equals(redis.opsForValue().get(day)));
            assertThat(redis.opsForValue().get(lifetime)).isEqualTo("10");
        } finally {
            redis.delete(List.of(day, lifetime));
        }
    }
}
