package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.web.auth.ApiKeys;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import io.micrometer.observation.ObservationPredicate;
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
    CapLedger capLedger(JdbcTemplate jdbc) {
        return new CapLedger(jdbc);
    }

    /** The configured rate table ({@code affnet.fx.rates.<CUR>: units per base}); replace this bean for a live feed. */
    @Bean
    ExchangeRates exchangeRates(Environment environment, Clock clock) {
        Map<String, String> table = Binder.get(environment)
                .bind("affnet.fx.rates", org.springframework.boot.context.properties.bind.Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return ExchangeRates.table(table, clock, environment.getProperty("affnet.fx.source", "configured-table"));
    }

    /**
     * Group commit for conversions ({@code affnet.conversion.batching=false} sends every postback through
     * the command bus in a transaction of its own instead). Writers: commands are spread over them by
     * click id; each commits what has queued up, up to {@code max-batch} commands per transaction.
     */
    @Bean
    ConversionBatcher conversionBatcher(ConversionHandler handler, ClickPrefetch prefetch, TransactionManager transactions,
                                        List<CorrelationDataProvider> correlation, CommandGateway commands,
                                        @Value("${affnet.conversion.writers:2}") int writers,
                                        @Value("${affnet.conversion.queue-capacity:10000}") int capacity,
                                        @Value("${affnet.conversion.max-batch:100}") int maxBatch) {
        return new ConversionBatcher(handler, prefetch, transactions, correlation,
                command -> PostbackIntake.viaCommandBus(commands, command), writers, capacity, maxBatch);
    }

    /** {@code GET|POST /postback} as a plain asynchronous servlet (see {@link PostbackServlet}). */
    @Bean
    ServletRegistrationBean<PostbackServlet> postbackServlet(PostbackCredentials credentials, PostbackIntake intake,
                                                             ClickConfigCache config, StringRedisTemplate redis,
                                                             JdbcTemplate jdbc, ObjectMapper json,
                                                             @Value("${affnet.click.client-ip-header:}") String clientIpHeader) {
        ServletRegistrationBean<PostbackServlet> registration = new ServletRegistrationBean<>(
                new PostbackServlet(credentials, intake, config, redis, jdbc, clientIpHeader, json), "/postback");
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
