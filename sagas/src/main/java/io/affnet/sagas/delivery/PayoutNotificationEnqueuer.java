package io.affnet.sagas.delivery;

import io.affnet.api.common.Money;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerAccount;
import io.affnet.api.ledger.Posting;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.payout.PayoutStateChangedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns each payout state change (sent, paid, failed, returned, reversed) into a signed delivery to the
 * affiliate's payouts template and to the tenant's payout endpoint (owner {@code tenant:<id>}), through the
 * same outbox, worker, signing, retries, pause and dead letters as conversion postbacks. Like
 * {@link DeliveryEnqueuer} (same processing group, so it starts at the head and is {@link DisallowReplay}):
 * it only enqueues, in the transaction that advances the processor's token, and the row's unique key
 * (event id, owner) makes an event seen twice enqueue once.
 */
@Component
@DisallowReplay
@ProcessingGroup(DeliveryEnqueuer.GROUP)
public class PayoutNotificationEnqueuer {

    private static final String BATCH = PayoutNotificationEnqueuer.class.getName() + ".batch";

    private record Pending(String eventId, PayoutStateChangedEvent event, Instant eventAt) {
    }

    private final DeliveryEnqueuer endpoints;
    private final DeliveryStore store;
    private final DeliverySignal signal;

    public PayoutNotificationEnqueuer(DeliveryEnqueuer endpoints, DeliveryStore store, DeliverySignal signal) {
        this.endpoints = endpoints;
        this.store = store;
        this.signal = signal;
    }

    @EventHandler
    void on(PayoutStateChangedEvent e, EventMessage<?> message) {
        BatchedEnqueue.<Pending>pending(BATCH, signal, this::enqueue).add(new Pending(message.getIdentifier(), e, message.getTimestamp()));
    }

    private int enqueue(List<Pending> pending) {
        if (pending.isEmpty()) {
            return 0;
        }
        Set<String> owners = new LinkedHashSet<>();
        for (Pending p : pending) {
            owners.add(p.event().affiliateId());
            owners.add(ConfigurePostbackEndpointCommand.tenantOwner(p.event().tenantId()));
        }
        Map<String, DeliveryEnqueuer.Endpoint> found = endpoints.endpointsOf(owners.toArray(String[]::new));
        Map<String, String> urls = new LinkedHashMap<>();
        found.forEach((owner, endpoint) -> endpoint.templates().stream()
                .filter(t -> PostbackTemplate.PAYOUTS.equals(t.topic())).findFirst()
                .ifPresent(t -> urls.put(owner, t.url())));
        if (urls.isEmpty()) {
            return 0;
        }
        String[] withoutAmount = pending.stream().filter(p -> p.event().paid() == null)
                .map(p -> p.event().payoutId()).distinct().toArray(String[]::new);
        Map<String, Money> recorded = withoutAmount.length == 0 ? Map.of() : store.paidAmounts(withoutAmount);
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
        for (Pending p : pending) {
            PayoutStateChangedEvent e = p.event();
            String body = null;
            for (String owner : List.of(e.affiliateId(), ConfigurePostbackEndpointCommand.tenantOwner(e.tenantId()))) {
                String url = urls.get(owner);
                DeliveryEnqueuer.Endpoint endpoint = found.get(owner);
                if (url == null || !endpoint.tenantId().equals(e.tenantId().value())) {
                    continue;
                }
                body = body != null ? body : endpoints.write(payload(e, amountOf(e, recorded.get(e.payoutId()))));
                rows.add(new DeliveryStore.NewDelivery(DeliveryEnqueuer.deliveryId(p.eventId(), owner), p.eventId(), e.tenantId(),
                        owner, e.payoutId(), "", trigger(e), "POST", url, body, p.eventAt()));
            }
        }
        if (!rows.isEmpty()) {
            store.enqueue(rows);
        }
        return rows.size();
    }

    /** {@code payout.sent}, {@code payout.paid}, {@code payout.failed}, {@code payout.returned}, {@code payout.reversed}. */
    static String trigger(PayoutStateChangedEvent e) {
        return "payout." + e.to().name().toLowerCase(Locale.ROOT);
    }

    /**
     * The amount, in the paid currency: the event's own {@code paid} (every change written since it has
     * carried one), else, for older events, its posting on the clearing or paid account (every change but
     * SENT carries one), else what the payout read model holds (null when it has not written the payout yet).
     */
    static Money amountOf(PayoutStateChangedEvent e, Money recorded) {
        if (e.paid() != null) {
            return e.paid();
        }
        if (e.entries() != null) {
            for (JournalEntry entry : e.entries()) {
                for (Posting posting : entry.postings()) {
                    if (posting.account() == LedgerAccount.AFFILIATE_IN_PAYOUT || posting.account() == LedgerAccount.AFFILIATE_PAID) {
                        return new Money(Math.abs(posting.minor()), entry.currency());
                    }
                }
            }
        }
        return recorded;
    }

    /** The JSON body: what a receiver needs to tell a person; amounts as decimal strings (MoneyJson's convention). */
    static Map<String, Object> payload(PayoutStateChangedEvent e, Money amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", trigger(e));
        body.put("tenantId", e.tenantId().value());
        body.put("affiliateId", e.affiliateId());
        body.put("payoutId", e.payoutId());
        body.put("runId", e.runId());
        body.put("processor", e.processor());
        body.put("state", e.to().name());
        body.put("previousState", e.from() == null ? null : e.from().name());
        body.put("amount", amount == null ? null : amount.toMajor().toPlainString());
        body.put("currency", amount == null ? null : amount.currency());
        body.put("reference", e.reference());
        body.put("reason", e.reason());
        body.put("occurredAt", e.postedAt() == null ? null : e.postedAt().toString());
        return body;
    }
}
