package io.affnet.platform.config;

import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.affnet.platform.eventstore.SegmentBalancer;
import io.affnet.projections.tenant.ApiKeyProjection;
import io.affnet.command.distribution.DistributionStatsProjection;
import io.affnet.domain.click.CapLedger;
import io.affnet.domain.click.Click;
import io.affnet.domain.click.ConversionContext;
import io.affnet.domain.click.ExchangeRateSource;
import io.affnet.domain.click.TransactionIds;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import io.affnet.domain.tenant.Tenant;
import io.affnet.platform.audit.ChainedEventStorageEngine;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
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

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.List;

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

    /**
     * The click's command handlers take the domain ports as parameters; the platform's adapters are
     * resolved here by type, as the test fixtures inject their fakes.
     */
    @Bean
    Repository<Click> clickRepository(EventStore eventStore, Cache clickCache, ClickPrefetch prefetch,
                                      ConversionContext context, ExchangeRateSource rates,
                                      TransactionIds transactionIds, CapLedger caps) {
        ParameterResolverFactory ports = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(Click.class),
                new SimpleResourceParameterResolverFactory(List.of(context, rates, transactionIds, caps)));
        // With NoCache (click-cache=false) the caching repository caches nothing.
        return new CachingEventSourcingRepository<>(EventSourcingRepository.builder(Click.class).eventStore(eventStore)
                .cache(clickCache).parameterResolverFactory(ports)) {
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
     * It also writes each event's link of the audit hash chain ({@link ChainedEventStorageEngine}).
     */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer, PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          @Value("${affnet.events.fetch-batch-size:1000}") int fetchBatchSize) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                // The default schema, as the auto-configuration's (which backs off with this bean).
                .schema(new EventSchema())
                .batchSize(fetchBatchSize);
        // The audit hash chain is written in the appending transaction (docs/audit.md).
        return new ChainedEventStorageEngine(builder, connectionProvider, transactionManager, eventSerializer);
    }

    /**
     * Token claims name their owner. Axon's default owner is the JVM's {@code pid@host}, which every
     * application context in one JVM shares (the test suite's cached contexts), and which two nodes in
     * containers can share too (pid 1 on equal host names): two processors would then both believe they
     * held one segment. Each running platform gets an owner of its own: host, pid and a random suffix.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connections, Serializer serializer,
                          ObjectProvider<TokenSchema> schema,
                          @Value("${axon.eventhandling.tokenstore.claim-timeout:5s}") Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .schema(schema.getIfAvailable(() -> TokenSchema.builder().build()))
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(nodeId())
                .build();
    }

    /** Divides every pooled processor's segments among the live nodes (docs/operations.md, Several nodes). */
    @Bean
    @ConditionalOnProperty(name = "affnet.processors.balance", havingValue = "true", matchIfMissing = true)
    SegmentBalancer segmentBalancer(JdbcTemplate jdbc,
                                                                  EventProcessingConfiguration processing,
                                                                  @Value("${affnet.processors.balance-interval:5s}") Duration every,
                                                                  @Value("${affnet.processors.node-liveness:15s}") Duration liveness) {
        return new SegmentBalancer(jdbc, processing, every, liveness);
    }

    static String nodeId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The platform's time. {@code affnet.clock.steppable=true} (tests only) makes it a
     * {@link io.affnet.platform.ops.SteppableClock} the chaos harness steps by minutes under load.
     */
    @Bean
    Clock clock(@Value("${affnet.clock.steppable:false}") boolean steppable) {
        return steppable ? new io.affnet.platform.ops.SteppableClock(Clock.systemUTC()) : Clock.systemUTC();
    }

    /**
     * {@code affnet.events.skip-unhandled-types} (default true): each pooled processor's stream leaves
     * out the events of payload types none of its handlers takes, once the processor has said so
     * ({@link TypeSkippingStream}); false offers every event to every processor, as Axon does with the
     * embedded store (for comparisons).
     */
    @Bean(destroyMethod = "close")
    EventDoorbell eventDoorbell(@Value("${affnet.events.skip-unhandled-types:true}") boolean skipUnhandledTypes) {
        return new EventDoorbell(skipUnhandledTypes);
    }

    /**
     * Every projection runs as a pooled streaming processor (segments claimed through the shared token
     * store, so several nodes split the work) except the read models that must change in the same
     * transaction as their events, which subscribe.
     * <p>
     * Every pooled processor reads through the {@link EventDoorbell}, so it hears new events at once
     * instead of looking every 500 ms when idle: report freshness, commissions and the click lookup
     * cache ({@code core-views}), and the delay of outbound postbacks all gain up to half a second.
     * At the head of the store each lets events gather for up to {@code affnet.processors.linger} (50 ms) or
     * until {@code linger-batch} (200) have come ({@link LingeringSource}): one transaction, token update and
     * commit per batch instead of one per conversion writer's or click writer's commit. On the postback path
     * that cut PostgreSQL's commits per postback from ~1.0 to ~0.64 and the stack's CPU per postback by a
     * quarter (docs/bench-postbacks.md, Session 13); every view shows an event at most 50 ms later.
     * This default applies before each processor's own configuration (properties included); of those,
     * {@code report-views} sets its own message source (the doorbell's, with its own linger, tagged:
     * ReportConfiguration), and {@code distribution-stats} its filtered one, lingering the same way.
     */
    /** Axon's processing group of the payout sagas (the saga class's simple name + "Processor"). */
    static final String PAYOUT_SAGA_PROCESSOR = "PayoutSagaProcessor";

    @Bean
    ConfigurerModule processingModes(EventDoorbell doorbell,
                                     @Value("${affnet.payouts.saga-segments:2}") int sagaSegments,
                                     @Value("${affnet.processors.claim-interval:1s}") Duration claimInterval,
                                     @Value("${affnet.processors.claim-extension:1500ms}") Duration claimExtension,
                                     @Value("${affnet.processors.linger:50ms}") Duration linger,
                                     @Value("${affnet.processors.linger-batch:200}") int lingerBatch) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .usingPooledStreamingEventProcessors((config, builder) -> builder
                        .messageSource(LingeringSource.of(doorbell.ringing(config.eventStore()), linger, lingerBatch))
                        .initialSegmentCount(2)
                        .batchSize(200)
                        // Fail-over: a dead node's claims expire after the token store's claim timeout
                        // (5 s, extended every claim-extension while idle), and the survivors look for
                        // unclaimed segments every claim-interval (Axon's defaults: 10 s, 5 s, 5 s: ~13 s).
                        .tokenClaimInterval(claimInterval.toMillis())
                        .claimExtensionThreshold(claimExtension.toMillis()))
                // Most clicks are not on smart links: the learner's stream leaves those out by their metadata.
                .registerPooledStreamingEventProcessorConfiguration(DistributionStatsProjection.GROUP,
                        (config, builder) -> builder.initialSegmentCount(1)
                                .messageSource(LingeringSource.of(
                                        doorbell.ringing(config.eventStore(), DistributionStatsProjection::ignores),
                                        linger, lingerBatch)))
                // Payout sagas wait on processors' HTTP answers: more segments pay more at once (a first run only;
                // stored tokens keep their count). Default 2, as every pooled processor; ./affnet bench payouts measures it.
                .registerPooledStreamingEventProcessorConfiguration(PAYOUT_SAGA_PROCESSOR,
                        (config, builder) -> builder.initialSegmentCount(sagaSegments)
                                .workerExecutor(java.util.concurrent.Executors.newScheduledThreadPool(sagaSegments,
                                        new org.axonframework.common.AxonThreadFactory("payout-sagas"))))
                .registerSubscribingEventProcessor(ApiKeyProjection.GROUP)
                .assignProcessingGroup(ApiKeyProjection.GROUP, ApiKeyProjection.GROUP));
    }
}
