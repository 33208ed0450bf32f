package io.affnet.platform.ops;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.command.click.ClickRecorder;
import io.affnet.command.click.UniqueClicks;
import io.affnet.web.degrade.StoreBreaker;
import io.affnet.sagas.delivery.DeliveryStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The platform's own meters, exported with the JVM's and Spring's at {@code /actuator/prometheus}
 * (names there: dots become underscores, counters end in {@code _total}). See README, Operations.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    static final String CLICKS = "affnet.clicks.recorded";
    static final String OUTBOUND_QUEUE = "affnet.outbound.queue";
    static final String DEGRADED = "affnet.store.degraded";
    static final String FALLBACKS = "affnet.store.fallbacks";
    static final String BREAKER_OPENED = "affnet.store.breaker.opened";
    static final String STALE_CONFIG = "affnet.click.config.stale";
    static final String UNFLAGGED = "affnet.clicks.unique.unflagged";

    @Bean
    ConversionMeters conversionMeters(MeterRegistry registry) {
        return new ConversionMeters(registry);
    }

    @Bean
    ProcessorLagMeters processorLagMeters(Clock clock) {
        return new ProcessorLagMeters(clock);
    }

    /** The conversion counter subscribes (no replay, no token); every processor reports the events it handles for the lag. */
    @Bean
    ConfigurerModule metricsProcessing(ProcessorLagMeters lag) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSubscribingEventProcessor(ConversionMeters.GROUP)
                .registerDefaultHandlerInterceptor((config, name) -> lag.interceptor(name)));
    }

    @Bean
    FilterRegistrationBean<TrackingRequestMeters> trackingRequestMeters(MeterRegistry registry) {
        FilterRegistrationBean<TrackingRequestMeters> registration = new FilterRegistrationBean<>(new TrackingRequestMeters(registry));
        registration.addUrlPatterns("/postback", "/p");
        registration.setAsyncSupported(true);
        registration.setName("trackingRequestMeters");
        return registration;
    }

    @Bean
    FilterRegistrationBean<MetricsAccessFilter> metricsAccess(@Value("${affnet.metrics.token:}") String token,
                                                              @Value("${affnet.security.operator-key:}") String operatorKey) {
        FilterRegistrationBean<MetricsAccessFilter> registration = new FilterRegistrationBean<>(
                new MetricsAccessFilter(token.isBlank() ? operatorKey : token));
        registration.addUrlPatterns("/actuator/prometheus");
        registration.setName("metricsAccess");
        return registration;
    }

    @Bean(destroyMethod = "close")
    StoreLatencyProbe storeLatencyProbe(MeterRegistry registry, RedisConnectionFactory redis, ElasticsearchClient elasticsearch,
                                        @Value("${affnet.metrics.store-probe-interval:10s}") Duration every) {
        return new StoreLatencyProbe(registry, redis, elasticsearch, every);
    }

    /**
     * The {@code redis} health component (this bean's name replaces Spring Boot's Redis indicator, which
     * asked Redis on every health request): the state of the breaker the request paths use.
     */
    @Bean(name = "redisHealthContributor", destroyMethod = "close")
    RedisAvailability redisAvailability(RedisConnectionFactory redis, StoreBreaker redisBreaker,
                                        @Value("${affnet.redis.probe-interval:1s}") Duration every,
                                        @Value("${affnet.redis.probe-timeout:500ms}") Duration timeout) {
        return new RedisAvailability(redis, redisBreaker, every, timeout);
    }

    /** How the platform degrades while Redis is away: breaker state, answers from fallbacks, stale configuration served. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> bindDegradationMeters(MeterRegistry registry, StoreBreaker redisBreaker,
                                                                     ObjectProvider<ClickConfigCache> config,
                                                                     ObjectProvider<UniqueClicks> unique) {
        return event -> {
            Gauge.builder(DEGRADED, redisBreaker, b -> b.isOpen() ? 1 : 0)
                    .description("1 while the store is treated as unavailable and requests use their fallbacks")
                    .tag("store", "redis").register(registry);
            FunctionCounter.builder(FALLBACKS, redisBreaker, StoreBreaker::fallbacks)
                    .description("Request-path calls answered by their fallback instead of the store")
                    .tag("store", "redis").register(registry);
            FunctionCounter.builder(BREAKER_OPENED, redisBreaker, StoreBreaker::timesOpened)
                    .description("Times the store's breaker opened").tag("store", "redis").register(registry);
            config.ifAvailable(c -> FunctionCounter.builder(STALE_CONFIG, c, ClickConfigCache::staleServed)
                    .description("Expired configuration entries answered from memory while reloading").register(registry));
            unique.ifAvailable(u -> FunctionCounter.builder(UNFLAGGED, u, UniqueClicks::unflagged)
                    .description("Clicks recorded without a unique flag because Redis could not be asked").register(registry));
        };
    }

    /** Meters over objects that exist once the application runs: clicks, processors, the outbound queue. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> bindPlatformMeters(MeterRegistry registry, ObjectProvider<ClickRecorder> clicks,
                                                                  EventProcessingConfiguration processing, EventStore eventStore,
                                                                  ProcessorLagMeters lag, ObjectProvider<DeliveryStore> deliveries,
                                                                  Clock clock,
                                                                  ObjectProvider<io.affnet.platform.eventstore.JdbcEventBatches> eventTable) {
        return event -> {
            // With the JDBC event store (not Axon Server) the lag in seconds is the age of the oldest event a processor has not passed.
            eventTable.ifAvailable(table -> lag.readEventTimes(table::firstTimestampAfter));
            clicks.ifAvailable(recorder -> FunctionCounter.builder(CLICKS, recorder, ClickRecorder::appended)
                    .description("Clicks appended to the event store by this node").register(registry));
            lag.bind(registry, processing, eventStore);
            deliveries.ifAvailable(store -> {
                QueueDepth depth = new QueueDepth(store, clock);
                for (String state : new String[]{"PENDING", "IN_FLIGHT"}) {
                    Gauge.builder(OUTBOUND_QUEUE, depth, d -> d.of(state))
                            .description("Outbound postbacks waiting (PENDING) or being sent (IN_FLIGHT), all tenants")
                            .tag("state", state.toLowerCase()).register(registry);
                }
            });
        };
    }

    /** One query per second at most, however many gauges read it. */
    static final class QueueDepth {
        private final DeliveryStore store;
        private final Clock clock;
        private final AtomicReference<Map.Entry<Long, Map<String, Long>>> last = new AtomicReference<>();

        QueueDepth(DeliveryStore store, Clock clock) {
            this.store = store;
            this.clock = clock;
        }

        double of(String state) {
            Map.Entry<Long, Map<String, Long>> l = last.get();
            long now = clock.millis();
            if (l == null || now - l.getKey() > 1000) {
                l = Map.entry(now, store.queueDepth());
                last.set(l);
            }
            return l.getValue().getOrDefault(state, 0L);
        }
    }
}
