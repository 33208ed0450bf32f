package io.affnet.platform.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.report.ReportRebuilds;
import io.affnet.api.report.ReportSchema;
import io.affnet.platform.support.PlatformIT;
import io.affnet.projections.report.ReportProjection;
import io.affnet.projections.report.ReportRebuild;
import io.affnet.projections.report.ReportViews;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rebuild's bulk phase ({@code ReportBulkLoad}) writes exactly the documents the processor writes:
 * one history, rebuilt once with the bulk phase and once through the processor alone, gives the same
 * click, conversion and rollup documents (clicks, unique clicks and dimensions of every rollup; the
 * counted positions and versions follow the batch boundaries, which differ by path). The history has
 * conversions, status changes, adjustments and a rejection, events appended while the rebuild runs, and
 * the events of a transaction that was open (holding global indices below the rebuild's stopping point)
 * while the bulk phase read past them and that commits only after it: the processor must pick them up
 * from the gaps of the token the bulk phase hands it, and count them in the rollups.
 */
class ReportBulkRebuildIT extends PlatformIT {

    @Autowired
    EventStore eventStore;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    ReportRebuild rebuild;
    @Autowired
    ReportViews views;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TransactionManager axonTransactions;

    @Test
    void theBulkPathWritesTheDocumentsAndRollupsTheProcessorWritesIncludingLateCommitsAndAppendsDuringTheRebuild() throws Exception {
        String first = registerTenant(uniqueSlug("bulk"))[0];
        String second = registerTenant(uniqueSlug("bulk-other"))[0];
        RollupDataset a = new RollupDataset(first);
        RollupDataset b = new RollupDataset(second);
        List<DomainEventMessage<?>> adjustments = adjustments(a);
        assertThat(adjustments).isNotEmpty();
        int half = a.events.size() / 2;
        int threeQuarters = a.events.size() * 3 / 4;
        eventStore.publish(a.events.subList(0, half));
        awaitReportViewsAtHead();

        // The next quarter of tenant a's history, appended in a transaction that stays open: its global
        // indices are taken, its rows invisible. Tenant b's appends (committed) get higher indices, so the
        // rebuild's stopping point (the head) lies above them: gaps the bulk phase reads past. Its clicks
        // fall into rollup documents the bulk phase writes, in batches whose last click (one of b's, on
        // the same worker) lies above the gaps: those documents must not count the gaps as seen.
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> open = CompletableFuture.runAsync(() -> {
            Transaction tx = axonTransactions.startTransaction();
            try {
                eventStore.publish(a.events.subList(half, threeQuarters));
                appended.countDown();
                if (!commit.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never told to commit");
                }
                tx.commit();
            } catch (Exception | Error e) {
                tx.rollback();
                appended.countDown();
                throw new IllegalStateException(e);
            }
        });
        int bHalf = b.events.size() / 2;
        try {
            assertThat(appended.await(60, TimeUnit.SECONDS)).isTrue();
            eventStore.publish(b.events.subList(0, bHalf));

            rebuild.useBulkLoad(true);
            ReportRebuilds.Status started = rebuild.start();
            assertThat(started.state()).isEqualTo("RUNNING");
            // The bulk phase has read up to the head (past the open transaction's indices) when it reports its events.
            await().atMost(Duration.ofSeconds(120)).until(() -> rebuild.lastBulkEvents() >= 0 || !"RUNNING".equals(rebuild.status().state()));
            assertThat(rebuild.status().state()).as(String.valueOf(rebuild.status())).isIn("RUNNING", "DONE");
            assertThat(rebuild.lastBulkEvents()).as("events the bulk phase wrote").isGreaterThanOrEqualTo(half + bHalf);
        } finally {
            commit.countDown();
        }
        open.get(60, TimeUnit.SECONDS);
        // Appended while the processor takes the tail (or just after the swap).
        eventStore.publish(a.events.subList(threeQuarters, a.events.size()));
        eventStore.publish(b.events.subList(bHalf, b.events.size()));
        eventStore.publish(adjustments);
        awaitDone();
        awaitReportViewsAtHead();
        Map<String, Map<String, Object>> bulk = snapshot(List.of(first, second));

        // The same history through the processor alone.
        rebuild.useBulkLoad(false);
        try {
            rebuild.start();
            awaitDone();
            assertThat(rebuild.lastBulkEvents()).isEqualTo(-1);
        } finally {
            rebuild.useBulkLoad(true);
        }
        awaitReportViewsAtHead();
        Map<String, Map<String, Object>> processor = snapshot(List.of(first, second));

        assertThat(bulk.keySet()).isEqualTo(processor.keySet());
        for (String id : processor.keySet()) {
            assertThat(bulk.get(id)).as(id).isEqualTo(processor.get(id));
        }
        // And both are the history: every click counted once in the rollups, every conversion there.
        for (RollupDataset data : List.of(a, b)) {
            long rolledUp = bulk.entrySet().stream().filter(e -> e.getKey().startsWith("rollup ")
                            && data.tenantId.equals(e.getValue().get(ReportSchema.TENANT_ID)))
                    .mapToLong(e -> ((Number) e.getValue().get(ReportSchema.ROLLUP_CLICKS)).longValue()).sum();
            assertThat(rolledUp).as(data.tenantId).isEqualTo(data.clicks.size());
            long clickDocs = bulk.entrySet().stream().filter(e -> e.getKey().startsWith("click ")
                    && data.tenantId.equals(e.getValue().get(ReportSchema.TENANT_ID))).count();
            assertThat(clickDocs).isEqualTo(data.clicks.size());
            long conversions = data.events.stream().filter(e -> e.getPayload() instanceof ConversionRecordedEvent
                    || e.getPayload() instanceof ConversionRejectedEvent).count();
            assertThat(bulk.keySet().stream().filter(k -> k.startsWith("conversion ")).filter(k -> data.tenantId.equals(
                    bulk.get(k).get(ReportSchema.TENANT_ID))).count()).isEqualTo(conversions);
        }
        long adjusted = bulk.values().stream().filter(d -> Integer.valueOf(700).equals(d.get(ReportSchema.REVENUE_MINOR))).count();
        assertThat(adjusted).isEqualTo(adjustments.size());
        long changed = a.events.stream().filter(e -> e.getPayload() instanceof ConversionStatusChangedEvent).count();
        assertThat(bulk.values().stream().filter(d -> d.get(ReportSchema.STATUS_HISTORY) instanceof List<?> h && h.size() == 2
                && first.equals(d.get(ReportSchema.TENANT_ID))).count()).isEqualTo(changed).isPositive();
    }

    /** An adjustment of every conversion of {@code data} whose status does not change later (500/300 → 700/350 EUR). */
    private static List<DomainEventMessage<?>> adjustments(RollupDataset data) {
        Set<String> changed = new HashSet<>();
        data.events.stream().filter(e -> e.getPayload() instanceof ConversionStatusChangedEvent)
                .forEach(e -> changed.add(((ConversionStatusChangedEvent) e.getPayload()).conversionId()));
        List<DomainEventMessage<?>> out = new ArrayList<>();
        for (DomainEventMessage<?> e : data.events) {
            if (e.getPayload() instanceof ConversionRecordedEvent c && !changed.contains(c.conversionId())) {
                out.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, c.clickId(), e.getSequenceNumber() + 1,
                        new ConversionAdjustedEvent(TenantId.of(data.tenantId), c.conversionId(), c.clickId(), c.offerId(),
                                c.affiliateId(), c.goal(), c.transactionId(), c.status(), c.revenue(), c.payout(),
                                new Money(700, "EUR"), new Money(350, "EUR"), c.convertedAt().plusSeconds(60))));
            }
        }
        return out;
    }

    private void awaitDone() {
        await().atMost(Duration.ofSeconds(180)).until(() -> !"RUNNING".equals(rebuild.status().state()));
        ReportRebuilds.Status done = rebuild.status();
        assertThat(done.state()).as(String.valueOf(done)).isEqualTo("DONE");
        assertThat(done.progress().percent()).isEqualTo(100.0);
        assertThat(done.progress().eventsDone()).isEqualTo(done.progress().eventsTotal());
    }

    private void awaitReportViewsAtHead() {
        long head = eventStore.createHeadToken().position().orElseThrow();
        PooledStreamingEventProcessor reportViews = processing.eventProcessor(ReportProjection.GROUP,
                PooledStreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(120)).until(() -> !reportViews.processingStatus().isEmpty()
                && reportViews.processingStatus().values().stream().allMatch(st -> st.getCurrentPosition().orElse(0) >= head));
    }

    /**
     * Every report document of these tenants by kind and id; rollups without the positions they counted
     * (the set depends on where batches ended, which differs between the paths; the clicks do not).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map<String, Map<String, Object>> snapshot(List<String> tenants) throws Exception {
        Map<String, Map<String, Object>> docs = new TreeMap<>();
        Map<String, String> kinds = Map.of("click ", views.clicksAlias(), "conversion ", views.conversionsAlias(),
                "rollup ", views.rollupsAlias());
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            elasticsearch.indices().refresh(r -> r.index(kind.getValue()));
            for (String tenant : tenants) {
                var found = elasticsearch.search(s -> s.index(kind.getValue()).routing(tenant).size(10_000)
                        .query(q -> q.term(t -> t.field(ReportSchema.TENANT_ID).value(tenant))), Map.class);
                assertThat(found.hits().hits()).hasSizeLessThan(10_000);
                for (Hit<Map> hit : found.hits().hits()) {
                    Map<String, Object> source = new TreeMap<>(hit.source());
                    assertThat(source.get(ReportSchema.TENANT_ID)).isEqualTo(tenant);
                    if (kind.getKey().equals("rollup ")) {
                        assertThat(source).containsKey(ReportSchema.ROLLUP_POS);
                        source.remove(ReportSchema.ROLLUP_POS);
                        source.remove(ReportSchema.ROLLUP_GAPS);
                    }
                    assertThat(docs.put(kind.getKey() + hit.id(), source)).as("one document per id").isNull();
                }
            }
        }
        return docs;
    }
}
