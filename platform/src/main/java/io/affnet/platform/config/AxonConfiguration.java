package io.affnet.platform.config;

import io.affnet.projections.tenant.ApiKeyProjection;
import io.affnet.command.distribution.DistributionStatsProjection;
import io.affnet.domain.click.Click;
import io.affnet.domain.tenant.Tenant;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** Aggregates live in the Spring-free domain module, so their repositories are declared here. */
    @Bean
    Repository<Tenant> tenantRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Tenant.class).eventStore(eventStore).build();
    }

    @Bean
    Repository<Click> clickRepository(EventStore eventStore) {
        return EventSourcingRepository.builder(Click.class).eventStore(eventStore).build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Every projection runs as a pooled streaming processor (segments claimed through the shared token
     * store, so several nodes split the work) except the read models that must change in the same
     * transaction as their events, which subscribe.
     */
    @Bean
    ConfigurerModule processingModes() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .usingPooledStreamingEventProcessors((config, builder) -> builder
                        .initialSegmentCount(2)
                        .batchSize(200))
                .registerPooledStreamingEventProcessorConfiguration(DistributionStatsProjection.GROUP,
                        (config, builder) -> builder.initialSegmentCount(1))
                .registerSubscribingEventProcessor(ApiKeyProjection.GROUP)
                .assignProcessingGroup(ApiKeyProjection.GROUP, ApiKeyProjection.GROUP));
    }
}
