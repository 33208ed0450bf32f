package io.affnet.platform.config;

import io.affnet.projections.tenant.ApiKeyProjection;
import io.affnet.command.distribution.DistributionStatsProjection;
import io.affnet.domain.click.Click;
import io.affnet.domain.tenant.Tenant;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import io.affnet.command.postback.ClickPrefetch;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Value;
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

    /**
     * Clicks are cached between commands (weakly: the GC decides how long), so a repeated postback or a
     * status change soon after the conversion does not read and deserialize the click again. Another
     * node's append makes the cached copy stale: its own append then fails on the sequence number, the
     * rollback evicts the entry and {@code PostbackIntake} retries on a fresh load.
     * {@code affnet.conversion.click-cache=false} turns it off (for comparisons).
     * <p>
     * Clicks are never snapshotted (a click has a handful of events), so a load reads its events only,
     * without the snapshot query Axon would otherwise make first: one round trip less per postback. The
     * conversion batcher reads all its clicks with one query beforehand ({@link ClickPrefetch}).
     */
    @Bean
    Cache clickCache(@Value("${affnet.conversion.click-cache:true}") boolean cache) {
        return cache ? new WeakReferenceCache() : NoCache.INSTANCE;
    }

    @Bean
    ClickPrefetch clickPrefetch(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer, Cache clickCache) {
        return new ClickPrefetch(jdbc, serializer, clickCache);
    }

    @Bean
    Repository<Click> clickRepository(EventStore eventStore, Cache clickCache, ClickPrefetch prefetch) {
        // With NoCache (click-cache=false) the caching repository caches nothing.
        return new CachingEventSourcingRepository<>(
                EventSourcingRepository.builder(Click.class).eventStore(eventStore).cache(clickCache)) {
            @Override
            protected DomainEventStream readEvents(String clickId) {
                DomainEventStream prefetched = prefetch.take(clickId);
                return prefetched != null ? prefetched : eventStore.readEvents(clickId, 0L);
            }
        };
    }

    /**
     * Axon's JDBC storage engine, as its Spring Boot auto-configuration builds it, except the number of
     * events one query fetches ({@code affnet.events.fetch-batch-size}, Axon's default is 100). A
     * processor's coordinator fetches one page at a time and waits for each: in a 10 M-event rebuild
     * the report processor used well under one of the two cores, most of the time waiting, and 100
     * rows a query meant 100 000 queries. Aggregate loads are unaffected (a click has a few events).
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer, PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          @Value("${affnet.events.fetch-batch-size:1000}") int fetchBatchSize) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                // The default schema, as the auto-configuration's (which backs off with this bean).
                .schema(new EventSchema())
                .batchSize(fetchBatchSize)
                .build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    EventDoorbell eventDoorbell() {
        return new EventDoorbell();
    }

    /**
     * Every projection runs as a pooled streaming processor (segments claimed through the shared token
     * store, so several nodes split the work) except the read models that must change in the same
     * transaction as their events, which subscribe.
     * <p>
     * Every pooled processor reads through the {@link EventDoorbell}, so it hears new events at once
     * instead of looking every 500 ms when idle: report freshness, commissions and the click lookup
     * cache ({@code core-views}), and the delay of outbound postbacks all gain up to half a second.
     * This default applies before each processor's own configuration (properties included); of those,
     * only {@code report-views} sets a message source: the doorbell's, wrapped (ReportConfiguration).
     */
    @Bean
    ConfigurerModule processingModes(EventDoorbell doorbell) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .usingPooledStreamingEventProcessors((config, builder) -> builder
                        .messageSource(doorbell.ringing(config.eventStore()))
                        .initialSegmentCount(2)
                        .batchSize(200))
                .registerPooledStreamingEventProcessorConfiguration(DistributionStatsProjection.GROUP,
                        (config, builder) -> builder.initialSegmentCount(1))
                .registerSubscribingEventProcessor(ApiKeyProjection.GROUP)
                .assignProcessingGroup(ApiKeyProjection.GROUP, ApiKeyProjection.GROUP));
    }
}
