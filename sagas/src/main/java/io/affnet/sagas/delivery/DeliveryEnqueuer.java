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
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Turns each credited conversion and each status change into a delivery for the affiliate's
 * best-matching template. It only enqueues, in the transaction that advances this processor's token,
 * so recording a conversion never waits for an affiliate's server; the worker sends. The row's unique
 * key (event id, affiliate) makes an event seen twice (restart, segment moved to another node) enqueue
 * once, and {@link DisallowReplay} keeps a replay of history from enqueuing anything.
 * <p>
 * Handlers only collect. When the processor's batch commits, the whole batch costs three statements
 * whatever its size: the templates of every affiliate involved, the first event of every click involved
 * (for the sub ids) and one batched insert of the deliveries; the worker is woken after the commit.
 */
@Component
@DisallowReplay
@ProcessingGroup(DeliveryEnqueuer.GROUP)
public class DeliveryEnqueuer {

    public static final String GROUP = "outbound-postbacks";
    public static final String RECORDED = "conversion.recorded";
    public static final String STATUS_CHANGED = "conversion.status_changed";
    private static final String BATCH = DeliveryEnqueuer.class.getName() + ".batch";
    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };

    /** A conversion event waiting for its batch to commit. */
    private record Pending(String eventId, TenantId tenantId, String affiliateId, String conversionId, String clickId,
                           String offerId, String goal, String transactionId, ConversionStatus status, Money payout,
                           Instant at, String trigger, Instant eventAt) {
    }

    /** An affiliate's endpoint as the batch found it. */
    private record Endpoint(String tenantId, List<PostbackTemplate> templates) {
    }

    private static final class Batch {
        final List<Pending> pending = new ArrayList<>();
        int enqueued;
    }

    private final JdbcTemplate jdbc;
    private final DeliveryStore store;
    private final EventStore events;
    private final Serializer eventSerializer;
    private final DeliverySignal signal;
    private final ObjectMapper json;

    public DeliveryEnqueuer(JdbcTemplate jdbc, DeliveryStore store, EventStore events,
                            @Qualifier("eventSerializer") Serializer eventSerializer, DeliverySignal signal, ObjectMapper json) {
        this.jdbc = jdbc;
        this.store = store;
        this.events = events;
        this.eventSerializer = eventSerializer;
        this.signal = signal;
        this.json = json;
    }

    @EventHandler
    void on(ConversionRecordedEvent e, EventMessage<?> message) {
        batch().pending.add(new Pending(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(),
                e.offerId(), e.goal(), e.transactionId(), e.status(), e.payout(), e.convertedAt(), RECORDED,
                message.getTimestamp()));
    }

    @EventHandler
    void on(ConversionStatusChangedEvent e, EventMessage<?> message) {
        batch().pending.add(new Pending(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(),
                e.offerId(), e.goal(), e.transactionId(), e.to(), e.payout(), e.changedAt(), STATUS_CHANGED,
                message.getTimestamp()));
    }

    /**
     * The current batch's pending events; the first call in a batch arranges for them to be enqueued
     * before its transaction commits (with the token, so a failure retries the whole batch) and for the
     * worker to be woken after it did.
     */
    private Batch batch() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get().root();
        return uow.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            uow.onPrepareCommit(u -> batch.enqueued = enqueue(batch.pending));
            uow.afterCommit(u -> {
                if (batch.enqueued > 0) {
                    signal.wake();
                }
            });
            return batch;
        });
    }

    /** Enqueues a delivery for each event whose affiliate has a matching template; answers how many rows were written. */
    private int enqueue(List<Pending> pending) {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, Endpoint> endpoints = endpointsOf(pending);
        Map<Pending, PostbackTemplate> matched = new LinkedHashMap<>();
        for (Pending p : pending) {
            Endpoint endpoint = endpoints.get(p.affiliateId());
            if (endpoint != null && endpoint.tenantId().equals(p.tenantId().value())) {
                select(endpoint.templates(), p.offerId(), p.goal()).ifPresent(t -> matched.put(p, t));
            }
        }
        if (matched.isEmpty()) {
            return 0;
        }
        Set<String> clickIds = new LinkedHashSet<>();
        matched.keySet().forEach(p -> clickIds.add(p.clickId()));
        Map<String, Map<String, String>> subs = subsOf(clickIds);
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>(matched.size());
        matched.forEach((p, t) -> {
            Map<String, String> values = values(subs.getOrDefault(p.clickId(), Map.of()), p.clickId(), p.payout(), p.status(),
                    p.transactionId(), p.conversionId(), p.offerId(), p.goal(), p.at());
            rows.add(new DeliveryStore.NewDelivery(deliveryId(p.eventId(), p.affiliateId()), p.eventId(), p.tenantId(),
                    p.affiliateId(), p.conversionId(), p.clickId(), p.trigger(), t.method().name(),
                    PostbackMacros.fill(t.url(), values), t.method() == PostbackMethod.POST ? write(values) : null, p.eventAt()));
        });
        store.enqueue(rows);
        return rows.size();
    }

    /** The endpoints of every affiliate in the batch, in one query (an affiliate id is unique across tenants). */
    private Map<String, Endpoint> endpointsOf(List<Pending> pending) {
        String[] affiliates = pending.stream().map(Pending::affiliateId).distinct().toArray(String[]::new);
        Map<String, Endpoint> endpoints = new HashMap<>();
        jdbc.query("SELECT affiliate_id, tenant_id, templates::text FROM outbound_endpoint WHERE affiliate_id = ANY(CAST(? AS text[]))",
                rs -> {
                    try {
                        endpoints.put(rs.getString(1), new Endpoint(rs.getString(2), json.readValue(rs.getString(3), TEMPLATES)));
                    } catch (IOException e) {
                        throw new IllegalStateException("unreadable postback templates of affiliate " + rs.getString(1), e);
                    }
                }, (Object) affiliates);
        return endpoints;
    }

    /**
     * The clicks' sub ids, from each click's first event. Conversions do not carry them; reading the
     * clicks' own first events (one indexed query for the batch) costs nothing on the click path, unlike
     * a projection that would write a row for every click, and they are immutable, so it is safe at any
     * time. A click not in the JDBC event store's table (another storage engine) is read through the
     * event store instead.
     */
    private Map<String, Map<String, String>> subsOf(Set<String> clickIds) {
        Map<String, Map<String, String>> subs = new HashMap<>();
        Set<String> found = new LinkedHashSet<>();
        jdbc.query("""
                        SELECT aggregateidentifier, payloadtype, payloadrevision, payload FROM domainevententry
                        WHERE aggregateidentifier = ANY(CAST(? AS text[])) AND sequencenumber = 0""",
                rs -> {
                    found.add(rs.getString(1));
                    Object payload = eventSerializer.deserialize(new SimpleSerializedObject<>(rs.getBytes(4), byte[].class,
                            rs.getString(2), rs.getString(3)));
                    subs.put(rs.getString(1), subsOf(payload));
                }, (Object) clickIds.toArray(String[]::new));
        for (String clickId : clickIds) {
            if (!found.contains(clickId)) {
                DomainEventStream stream = events.readEvents(clickId, 0);
                subs.put(clickId, stream.hasNext() ? subsOf(stream.next().getPayload()) : Map.of());
            }
        }
        return subs;
    }

    private static Map<String, String> subsOf(Object firstEvent) {
        return firstEvent instanceof ClickRecordedEvent click && click.subs() != null ? click.subs() : Map.of();
    }

    private String write(Map<String, String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
}
