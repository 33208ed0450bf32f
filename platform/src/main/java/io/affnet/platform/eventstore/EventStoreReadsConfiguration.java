package io.affnet.platform.eventstore;

import io.affnet.command.click.StoredClicks;
import io.affnet.command.postback.ClickPrefetch;
import io.affnet.sagas.delivery.ClickSubIds;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Batch reads of the event store, for the places that read many aggregates' events at once: the
 * conversion batch's clicks, the outbound postbacks' sub ids and which clicks of a failed append were
 * stored after all. With Axon's JDBC storage engine they
 * read its table in one query ({@link JdbcEventBatches}, the only code that knows Axon's table layout:
 * an ArchUnit rule in {@code ModuleArchitectureTest} keeps it so); with Axon Server
 * ({@code axon.axonserver.enabled}) they go through the event store's API, one aggregate at a time.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreReadsConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    static class ThroughTheApi {

        @Bean
        ClickPrefetch clickPrefetch() {
            return ClickPrefetch.NONE;
        }

        @Bean
        ClickSubIds clickSubIds(EventStore events) {
            return ClickSubIds.through(events);
        }

        @Bean
        StoredClicks storedClicks(EventStore events) {
            return StoredClicks.through(events);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
    static class Jdbc {

        @Bean
        JdbcEventBatches jdbcEventBatches(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer,
                                          org.axonframework.config.Configuration configuration) {
            return new JdbcEventBatches(jdbc, serializer, configuration.upcasterChain());
        }

        /** Ranges of the global index, for the report rebuild's bulk phase. */
        @Bean
        JdbcEventRanges jdbcEventRanges(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer,
                                        org.axonframework.config.Configuration configuration) {
            return new JdbcEventRanges(jdbc, serializer, configuration.upcasterChain());
        }

        @Bean
        ClickPrefetch clickPrefetch(JdbcEventBatches batches, Cache clickCache) {
            return new JdbcClickPrefetch(batches, clickCache);
        }

        @Bean
        ClickSubIds clickSubIds(JdbcEventBatches batches) {
            return new JdbcClickSubIds(batches);
        }

        @Bean
        StoredClicks storedClicks(JdbcEventBatches batches) {
            return batches::withFirstEvent;
        }
    }
}
