package io.affnet.command.postback;

import io.affnet.web.auth.ApiKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
public class PostbackConfiguration {

    @Bean
    PostbackCredentials postbackCredentials(JdbcTemplate jdbc, ApiKeys keys,
                                            @Value("${affnet.postback.credentials-ttl-ms:2000}") long ttl) {
        return new PostbackCredentials(jdbc, keys, ttl);
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
