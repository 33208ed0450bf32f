package io.affnet.projections.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.elasticsearch.client.RestClient;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Builds the click, conversion and click rollup documents the reports aggregate over. Handlers only collect; the
 * batch the pooled processor hands over is written with one bulk request when it commits (before its
 * token moves on, so a failed write retries the batch). Every document id is a natural key (click id,
 * conversion id, the rejection's event id) and status changes apply only from their {@code from}
 * status, so redelivery and replay write the same documents. Rollups count each click once by its
 * global index ({@link ReportBatch}).
 */
@Component
@ProcessingGroup(ReportProjection.GROUP)
public class ReportProjection {

    public static final String GROUP = "report-views";
    private static final String BATCH = ReportProjection.class.getName() + ".batch";

    private final ElasticsearchClient elasticsearch;
    private final RestClient rest;
    private final ReportViews views;
    private final TenantCurrencies currencies;

    public ReportProjection(ElasticsearchClient elasticsearch, RestClient rest, ReportViews views, TenantCurrencies currencies) {
        this.elasticsearch = elasticsearch;
        this.rest = rest;
        this.views = views;
        this.currencies = currencies;
    }

    @EventHandler
    void on(ClickRecordedEvent event, EventMessage<?> message, TrackingToken token) {
        batch().click(event, EventPositions.of(message, token), token);
    }

    @EventHandler
    void on(ConversionRecordedEvent event) {
        batch().conversion(event);
    }

    @EventHandler
    void on(ConversionRejectedEvent event, EventMessage<?> message) {
        batch().rejection(event, message.getIdentifier());
    }

    @EventHandler
    void on(ConversionStatusChangedEvent event) {
        batch().statusChange(event);
    }

    @EventHandler
    void on(ConversionAdjustedEvent event) {
        batch().adjustment(event);
    }

    /** Documents Elasticsearch refused for good (a mapping conflict, say), skipped with a WARN since start-up. */
    public static long refusedDocuments() {
        return ReportBatch.refusedDocuments();
    }

    @ResetHandler
    void reset() {
        // A reset only happens through ReportRebuild, which has pointed the writes at new, empty
        // index versions first; the live ones keep serving until the alias swaps.
    }

    private ReportBatch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(BATCH, key -> {
            ReportBatch batch = new ReportBatch(elasticsearch, rest, currencies, views.targets());
            uow.onPrepareCommit(u -> batch.flush());
            return batch;
        });
    }
}
