package io.affnet.sagas.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.outbound.PostbackMacros;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns each credited conversion and each status change into a delivery for the affiliate's
 * best-matching template. It only enqueues, in the transaction that advances this processor's token,
 * so recording a conversion never waits for an affiliate's server; the worker sends. The row's unique
 * key (event id, affiliate) makes an event seen twice (restart, segment moved to another node) enqueue
 * once, and {@link DisallowReplay} keeps a replay of history from enqueuing anything.
 */
@Component
@DisallowReplay
@ProcessingGroup(DeliveryEnqueuer.GROUP)
public class DeliveryEnqueuer {

    public static final String GROUP = "outbound-postbacks";
    public static final String RECORDED = "conversion.recorded";
    public static final String STATUS_CHANGED = "conversion.status_changed";
    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final DeliveryStore store;
    private final EventStore events;
    private final DeliverySignal signal;
    private final ObjectMapper json;

    public DeliveryEnqueuer(JdbcTemplate jdbc, DeliveryStore store, EventStore events, DeliverySignal signal,
                            ObjectMapper json) {
        this.jdbc = jdbc;
        this.store = store;
        this.events = events;
        this.signal = signal;
        this.json = json;
    }

    @EventHandler
    void on(ConversionRecordedEvent e, EventMessage<?> message) throws Exception {
        enqueue(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(), e.offerId(), e.goal(),
                e.transactionId(), e.status(), e.payout(), e.convertedAt(), RECORDED, message.getTimestamp());
    }

    @EventHandler
    void on(ConversionStatusChangedEvent e, EventMessage<?> message) throws Exception {
        enqueue(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(), e.offerId(), e.goal(),
                e.transactionId(), e.to(), e.payout(), e.changedAt(), STATUS_CHANGED, message.getTimestamp());
    }

    private void enqueue(String eventId, TenantId tenantId, String affiliateId, String conversionId, String clickId,
                         String offerId, String goal, String transactionId, ConversionStatus status, Money payout,
                         Instant at, String trigger, Instant eventAt) throws Exception {
        List<String> stored = jdbc.queryForList("SELECT templates::text FROM outbound_endpoint WHERE affiliate_id = ? AND tenant_id = ?",
                String.class, affiliateId, tenantId.value());
        if (stored.isEmpty()) {
            return;
        }
        Optional<PostbackTemplate> template = select(json.readValue(stored.get(0), TEMPLATES), offerId, goal);
        if (template.isEmpty()) {
            return;
        }
        Map<String, String> values = values(subsOf(clickId), clickId, payout, status, transactionId, conversionId, offerId,
                goal, at);
        PostbackTemplate t = template.get();
        String url = PostbackMacros.fill(t.url(), values);
        String body = t.method() == PostbackMethod.POST ? json.writeValueAsString(values) : null;
        String deliveryId = deliveryId(eventId, affiliateId);
        if (store.enqueue(new DeliveryStore.NewDelivery(deliveryId, eventId, tenantId, affiliateId, conversionId, clickId,
                trigger, t.method().name(), url, body, eventAt)) && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    signal.wake();
                }
            });
        }
    }

    /** The most specific template for the conversion: offer and goal, then offer, then global. */
    public static Optional<PostbackTemplate> select(List<PostbackTemplate> templates, String offerId, String goal) {
        return templates.stream().filter(t -> t.specificityFor(offerId, goal) >= 0)
                .max(Comparator.comparingInt(t -> t.specificityFor(offerId, goal)));
    }

    /** A pure function of the event and the endpoint, so a receiver can dedupe on it across any retry. */
    static String deliveryId(String eventId, String affiliateId) {
        return "dlv_" + UUID.nameUUIDFromBytes((eventId + "/" + affiliateId).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    /** Every macro's value; sub ids the click did not carry are empty. */
    public static Map<String, String> values(Map<String, String> subs, String clickId, Money payout, ConversionStatus status,
                                             String transactionId, String conversionId, String offerId, String goal,
                                             Instant at) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("click_id", clickId);
        for (int i = 1; i <= 10; i++) {
            values.put("sub" + i, subs.getOrDefault("sub" + i, ""));
        }
        values.put("source", subs.getOrDefault("source", ""));
        values.put("payout", payout == null ? "" : payout.toMajor().toPlainString());
        values.put("currency", payout == null ? "" : payout.currency());
        values.put("status", status == null ? "" : status.name().toLowerCase(Locale.ROOT));
        values.put("transaction_id", transactionId == null ? "" : transactionId);
        values.put("conversion_id", conversionId);
        values.put("offer_id", offerId == null ? "" : offerId);
        values.put("goal", goal == null ? "" : goal);
        values.put("timestamp", Long.toString(at.getEpochSecond()));
        return values;
    }

    /**
     * The click's sub ids, from its first event. Conversions do not carry them; reading the click's own
     * stream (an indexed lookup by aggregate id) costs nothing on the click path, unlike a projection
     * that would write a row for every click, and it is immutable, so it is safe at any time.
     */
    private Map<String, String> subsOf(String clickId) {
        DomainEventStream stream = events.readEvents(clickId, 0);
        if (stream.hasNext() && stream.next().getPayload() instanceof ClickRecordedEvent click && click.subs() != null) {
            return click.subs();
        }
        return Map.of();
    }
}
