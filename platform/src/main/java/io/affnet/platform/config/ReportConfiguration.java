package io.affnet.platform.config;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.projections.report.EventPositions;
import io.affnet.projections.report.EventRanges;
import io.affnet.projections.report.ReportBulkLoad;
import io.affnet.projections.report.ReportProjection;
import io.affnet.projections.report.ReportSequencingPolicy;
import io.affnet.projections.report.ReportRebuild;
import io.affnet.projections.report.ReportViews;
import io.affnet.projections.report.TenantCurrencies;
import io.affnet.projections.search.SearchIndices;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.elasticsearch.client.RestClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The report views: where they write, how they convert money, how they rebuild, how big a batch is. */
@Configuration(proxyBeanMethods = false)
public class ReportConfiguration {

    @Bean
    ReportViews reportViews(SearchIndices indices, @Value("${affnet.reports.refresh-interval:500ms}") String refreshInterval) {
        return new ReportViews(indices, refreshInterval);
    }

    @Bean
    TenantCurrencies tenantCurrencies(StringRedisTemplate redis, Environment environment) {
        Map<String, String> table = Binder.get(environment).bind("affnet.fx.rates", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of());
        return new TenantCurrencies(redis, table, environment.getProperty("affnet.fx.source", "configured-table"));
    }

    /**
     * A rebuild writes the history up to the store's head in bulk ({@link ReportBulkLoad}: {@code readers}
     * threads read ranges of {@code range} global indices, {@code workers} threads write batches of
     * {@code batch-size} events) and lets the processor take the tail; with
     * {@code affnet.reports.rebuild.bulk=false}, or a store without a global index to read by (Axon Server),
     * the processor replays everything.
     */
    @Bean
    ReportRebuild reportRebuild(EventProcessingConfiguration processing, TokenStore tokenStore, EventStore eventStore,
                                ReportViews views, Clock clock, ObjectProvider<EventRanges> ranges,
                                ElasticsearchClient elasticsearch, RestClient rest, TenantCurrencies currencies,
                                @Value("${affnet.reports.rebuild-timeout:PT2H}") Duration timeout,
                                @Value("${affnet.reports.rebuild.bulk:true}") boolean bulk,
                                @Value("${affnet.reports.rebuild.readers:2}") int readers,
                                @Value("${affnet.reports.rebuild.workers:3}") int workers,
                                @Value("${affnet.reports.rebuild.range:10000}") int range,
                                @Value("${affnet.reports.rebuild.batch-size:4000}") int batchSize) {
        EventRanges history = ranges.getIfAvailable();
        ReportBulkLoad load = bulk && history != null ? new ReportBulkLoad(history, elasticsearch, rest, currencies,
                new ReportBulkLoad.Settings(readers, workers, range, batchSize)) : null;
        return new ReportRebuild(processing, tokenStore, eventStore, views, clock, timeout, load);
    }

    /**
     * Bigger batches than the other projections: one bulk request per batch is what makes a rebuild fast.
     * Like every pooled processor, it hears new events through the doorbell (AxonConfiguration); its
     * events also carry their own global index when their token does not show it (click rollups count
     * by it), and clicks and conversion events are spread over segments by tenant, offer and affiliate,
     * so each rollup document has one writer and a click's events stay in order. At the head of the store its
     * coordinator takes events in batches of at least {@code linger-batch} or after {@code linger}
     * ({@link LingeringSource}): Elasticsearch's cost per bulk request, not per document, was most of its CPU per
     * click with the ~48-event batches the doorbell gave it (issue 19); freshness pays at most {@code linger}.
     */
    @Bean
    ConfigurerModule reportProcessor(@Value("${affnet.reports.batch-size:2000}") int batchSize,
                                     @Value("${affnet.reports.segments:2}") int segments,
                                     @Value("${affnet.reports.linger:100ms}") Duration linger,
                                     @Value("${affnet.reports.linger-batch:500}") int lingerBatch,
                                     EventDoorbell doorbell) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(ReportProjection.GROUP, (config, builder) -> builder
                        .messageSource(EventPositions.tagging(
                                LingeringSource.of(doorbell.ringing(config.eventStore()), linger, lingerBatch)))
                        .initialSegmentCount(segments)
                        .batchSize(batchSize))
                .registerSequencingPolicy(ReportProjection.GROUP, config -> new ReportSequencingPolicy()));
    }
}
