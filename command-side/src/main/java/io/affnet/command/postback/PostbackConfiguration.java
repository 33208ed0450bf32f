package io.affnet.command.postback;

import com.github.benmanes.caffeine.cache.Ticker;
import io.affnet.web.auth.ApiKeys;
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
}
