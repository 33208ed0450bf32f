package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.web.auth.ApiKeys;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import io.affnet.web.degrade.StoreBreaker;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import io.micrometer.observation.ObservationPredicate;
import io.affnet.web.TrackingDomains;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
public class PostbackConfiguration {

    /** Listens on the click path's change-channel subscription: one Redis connection for both caches. */
    @Bean
    PostbackCredentials postbackCredentials(JdbcTemplate jdbc, ApiKeys keys,
                                            @Value("${affnet.postback.credentials-ttl-ms:600000}") long ttl,
                                            @Value("${affnet.postback.negative-credentials-ttl-ms:2000}") long negativeTtl,
                                            @Value("${affnet.postback.credentials-cache-size:100000}") long size,
                                            RedisMessageListenerContainer clickConfigListener) {
        PostbackCredentials credentials = new PostbackCredentials(jdbc, keys, Duration.ofMillis(ttl),
                Duration.ofMillis(negativeTtl), size, Ticker.systemTicker());
        credentials.listenTo(clickConfigListener);
        return credentials;
    }

    /**
     * No {@code http.server.requests} observation for {@code /postback}, as for the click redirect: about
     * a twentieth of the postback's CPU here (docs/bench-postbacks.md), and nothing reads those metrics.
     * Conversions are counted where they are recorded, in the event store.
     */
    @Bean
    ObservationPredicate noPostbackRequestObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && server.getCarrier() != null && "/postback".equals(server.getCarrier().getRequestURI()));
    }

    @Bean
    JdbcCapLedger capLedger(JdbcTemplate jdbc, StringRedisTemplate redis, StoreBreaker redisBreaker) {
        return new JdbcCapLedger(jdbc, redis, redisBreaker);
    }

    @Bean
    JdbcTransactionIds transactionIds(JdbcTemplate jdbc) {
        return new JdbcTransactionIds(jdbc);
    }

    @Bean
    PostbackCounters postbackCounters(StringRedisTemplate redis, StoreBreaker redisBreaker) {
        return new PostbackCounters(redis, redisBreaker);
    }

    @Bean
    CachedConversionContext conversionContext(ClickConfigCache config, PostbackCredentials credentials,
                                              PostbackCounters counters) {
        return new CachedConversionContext(config, credentials, counters);
    }

    /**
     * The ECB's reference rates: from {@code affnet.fx.url} when set, else the file {@code affnet.fx.file},
     * else the ECB file shipped in the jar; reloaded every {@code affnet.fx.refresh}.
     */
    @Bean
    PublishedExchangeRates exchangeRates(@Value("${affnet.fx.url:}") String url, @Value("${affnet.fx.file:}") String file,
                                         JdbcTemplate jdbc, org.springframework.transaction.PlatformTransactionManager transactions,
                                         org.axonframework.eventhandling.gateway.EventGateway events, Clock clock) {
        RateSource source = !url.isBlank() ? RateSource.url(java.net.URI.create(url))
                : !file.isBlank() ? RateSource.file(java.nio.file.Path.of(file)) : RateSource.shipped();
        return new PublishedExchangeRates(source, jdbc,
                new org.springframework.transaction.support.TransactionTemplate(transactions), events, clock);
    }

    /** The first set is loaded once the platform is up (or on first use, whichever comes first). */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void loadExchangeRates(org.springframework.boot.context.event.ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(PublishedExchangeRates.class).current();
    }

    @Bean(destroyMethod = "shutdownNow")
    java.util.concurrent.ScheduledExecutorService exchangeRateRefresher(PublishedExchangeRates rates,
                                                                         @Value("${affnet.fx.refresh:PT6H}") java.time.Duration every) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fx-refresh");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(rates::refresh, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer;
    }

    /**
     * Group commit for conversions ({@code affnet.conversion.batching=false} sends every postback through
     * the command bus in a transaction of its own instead). Writers: commands are spread over them by
     * click id; each commits what has queued up, up to {@code max-batch} commands per transaction.
     * {@code max-wait}: the longest a postback waits in the queue before it is answered 503 unhandled.
     */
    @Bean
    ConversionBatcher conversionBatcher(ConversionHandler handler, ClickPrefetch prefetch, JdbcTransactionIds transactionIds,
                                        TransactionManager transactions,
                                        List<CorrelationDataProvider> correlation, CommandGateway commands,
                                        @Value("${affnet.conversion.writers:2}") int writers,
                                        @Value("${affnet.conversion.queue-capacity:10000}") int capacity,
                                        @Value("${affnet.conversion.max-batch:100}") int maxBatch,
                                        @Value("${affnet.conversion.max-wait:5s}") Duration maxWait) {
        return new ConversionBatcher(handler, prefetch, transactionIds, transactions, correlation,
                command -> PostbackIntake.viaCommandBus(commands, command), writers, capacity, maxBatch, maxWait.toMillis());
    }

    /** {@code GET|POST /postback} as a plain asynchronous servlet (see {@link PostbackServlet}). */
    @Bean
    ServletRegistrationBean<PostbackServlet> postbackServlet(PostbackCredentials credentials, PostbackIntake intake,
                                                             ClickConfigCache config, PostbackCounters counters,
                                                             TrackingDomains domains, ObjectMapper json,
                                                             @Value("${affnet.click.client-ip-header:}") String clientIpHeader) {
        ServletRegistrationBean<PostbackServlet> registration = new ServletRegistrationBean<>(
                new PostbackServlet(credentials, intake, config, counters, domains, clientIpHeader, json), "/postback");
        registration.setAsyncSupported(true);
        registration.setName("postbacks");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    OpenApiCustomizer postbackOpenApi() {
        return PostbackOpenApi.customizer();
    }
}
