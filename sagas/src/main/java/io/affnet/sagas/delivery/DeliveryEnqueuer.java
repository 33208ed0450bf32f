package io.affnet.sagas.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
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
 * (for the sub ids, {@link ClickSubIds}) and one batched insert of the deliveries; the worker is woken after the commit.
 */
@Component
@DisallowReplay
@ProcessingGroup(DeliveryEnqueuer.GROUP)
public class DeliveryEnqueuer {

    public static final String GROUP = "outbound-postbacks";
    public static final String RECORDED = "conversion.recorded";
    public static final String STATUS_CHANGED = "conversion.status_changed";
    /** An approved conversion's payout or revenue was adjusted by moderation: the affiliate learns the new payout. */
    public static final String ADJUSTED = "conversion.adjusted";
    private static final String BATCH = DeliveryEnqueuer.class.getName() + ".batch";
    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };

    /** A conversion event waiting for its batch to commit. */
    private record Pending(String eventId, TenantId tenantId, String affiliateId, String conversionId, String clickId,
                           String offerId, String goal, String transactionId, ConversionStatus status, Money payout,
                           Instant at, String trigger, Instant eventAt) {
    }

    /** An affiliate's (or a tenant's) endpoint as the batch found it. */
    record Endpoint(String tenantId, List<PostbackTemplate> templates) {
    }

    private final JdbcTemplate jdbc;
    private final DeliveryStore store;
    private final ClickSubIds subIds;
    private final DeliverySignal signal;
    private final ObjectMapper json;

    public DeliveryEnqueuer(JdbcTemplate jdbc, DeliveryStore store, ClickSubIds subIds, DeliverySignal signal,
                            ObjectMapper json) {
        this.jdbc = jdbc;
        this.store = store;
        this.subIds = subIds;
        this.signal = signal;
        this.json = json;
    }

    @EventHandler
    void on(ConversionRecordedEvent e, EventMessage<?> message) {
        batch().add(new Pending(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(),
                e.offerId(), e.goal(), e.transactionId(), e.status(), e.payout(), e.convertedAt(), RECORDED,
                message.getTimestamp()));
    }

    @EventHandler
    void on(ConversionStatusChangedEvent e, EventMessage<?> message) {
        batch().add(new Pending(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(),
                e.offerId(), e.goal(), e.transactionId(), e.to(), e.payout(), e.changedAt(), STATUS_CHANGED,
                message.getTimestamp()));
    }

    /**
     * An adjustment of an approved conversion changes what the affiliate earns, so the affiliate's tracker hears of it
     * (its status stays approved; {payout} is the new payout). A pending conversion's adjustment sends nothing of its
     * own: its approval carries the new payout.
     */
    @EventHandler
    void on(ConversionAdjustedEvent e, EventMessage<?> message) {
        if (e.status() == ConversionStatus.APPROVED) {
            batch().add(new Pending(message.getIdentifier(), e.tenantId(), e.affiliateId(), e.conversionId(), e.clickId(),
                    e.offerId(), e.goal(), e.transactionId(), e.status(), e.payout(), e.adjustedAt(), ADJUSTED,
                    message.getTimestamp()));
        }
    }

    /** The current batch's pending events, enqueued just before the batch commits ({@link BatchedEnqueue}). */
    private List<Pending> batch() {
        return BatchedEnqueue.pending(BATCH, signal, this::enqueue);
    }

    /** Enqueues a delivery for each event whose affiliate has a matching template; answers how many rows were written. */
    private int enqueue(List<Pending> pending) {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, Endpoint> endpoints = endpointsOf(pending.stream().map(Pending::affiliateId).distinct().toArray(String[]::new));
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
        Map<String, Map<String, String>> subs = subIds.of(clickIds);
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>(matched.size());
        matched.forEach((p, t) -> {
            Map<String, String> values = values(subs.getOrDefault(p.clickId(), Map.of()), p.clickId(), p.payout(), p.status(),
                    p.transactionId(), p.conversionId(), p.offerId(), p.goal(), p.at());
            rows.add(new DeliveryStore.NewDelivery(deliveryId(p.eventId(), p.affiliateId()), p.eventId(), p.tenantId(),
                    p.affiliateId(), p.conversionId(), p.clickId(), p.trigger(), t.method().name(),
                    PostbackUrls.fill(t.url(), values), t.method() == PostbackMethod.POST ? write(values) : null, p.eventAt()));
        });
        store.enqueue(rows);
        return rows.size();
    }

    /** The endpoints of these owners (affiliates, or tenants as {@code tenant:<id>}), in one query (an affiliate id is unique across tenants). */
    Map<String, Endpoint> endpointsOf(String[] affiliates) {
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

    /** The JSON of a delivery's body. */
    String write(Object values) {
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
