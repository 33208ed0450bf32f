package io.affnet.platform.report;

import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A fixed history for one tenant in Europe/Berlin around the 2026-10-25 DST change (clocks go back at
 * 01:00 UTC), appended straight to the event store so every timestamp is exactly what the figures in
 * {@link ReportIT} were computed from.
 * <pre>
 * click  UTC               Berlin            offer aff country device  sub1 source sub10 ip unique
 * c1     10-24 21:30       10-24 23:30 CEST  O1    A1  DE      desktop s-a  fb     x     h1 yes
 * c2     10-24 22:30       10-25 00:30 CEST  O1    A1  DE      phone   s-b              h1 no
 * c3     10-25 00:30       10-25 02:30 CEST  O2    A2  FR      desktop s-a              h2 yes
 * c4     10-25 01:30       10-25 02:30 CET   O2    A1  FR      phone                    h3 yes
 * c5     10-25 22:59       10-25 23:59 CET   O1    A2  DE      desktop                  h2 no
 * c6     10-25 23:00       10-26 00:00 CET   O1    A1  DE      desktop                  h4 (none: counts as unique)
 * conversion  click UTC          goal  money (rev/pay)    status
 * v1          c1    10-24 21:40  lead  EUR 3.00/2.00      PENDING → APPROVED (10-25 10:00)
 * v2          c3    10-25 00:40  sale  EUR 10.00/7.00     APPROVED
 * v3          c4    10-25 02:00  lead  USD 5.00/4.00      PENDING   (EUR 4.60/3.68 at 0.92)
 * v4          c5    10-25 22:59:30 lead EUR 3.00/2.00     APPROVED → REVERSED (10-26 08:00)
 * r1 (rejected report, duplicate) on c2, 10-25 05:00, goal lead
 * </pre>
 * O1 belongs to advertiser ADV1, O2 to ADV2. Ids get a random suffix so runs never collide.
 */
final class ReportDataset {

    final String tenantId;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final Map<String, String> clicks = new LinkedHashMap<>();

    ReportDataset(String tenantId) {
        this.tenantId = tenantId;
        for (int i = 1; i <= 6; i++) {
            clicks.put("c" + i, "rc" + i + "_" + suffix);
        }
    }

    String id(String name) {
        return name + "_" + suffix;
    }

    void append(EventStore store) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        events.add(click("c1", "2026-10-24T21:30:00Z", "O1", "A1", "DE", "desktop", Map.of("sub1", "s-a", "source", "fb", "sub10", "x"), "h1", true));
        events.add(click("c2", "2026-10-24T22:30:00Z", "O1", "A1", "DE", "phone", Map.of("sub1", "s-b"), "h1", false));
        events.add(click("c3", "2026-10-25T00:30:00Z", "O2", "A2", "FR", "desktop", Map.of("sub1", "s-a"), "h2", true));
        events.add(click("c4", "2026-10-25T01:30:00Z", "O2", "A1", "FR", "phone", Map.of(), "h3", true));
        events.add(click("c5", "2026-10-25T22:59:00Z", "O1", "A2", "DE", "desktop", Map.of(), "h2", false));
        events.add(click("c6", "2026-10-25T23:00:00Z", "O1", "A1", "DE", "desktop", Map.of(), "h4", null));
        events.add(conversion("c1", 1, "v1", "O1", "A1", "lead", "EUR", 300, 200, ConversionStatus.PENDING, "2026-10-24T21:30:00Z", "2026-10-24T21:40:00Z"));
        events.add(status("c1", 2, "v1", "O1", "A1", "lead", ConversionStatus.PENDING, ConversionStatus.APPROVED, "EUR", 300, 200, "2026-10-25T10:00:00Z"));
        events.add(conversion("c3", 1, "v2", "O2", "A2", "sale", "EUR", 1000, 700, ConversionStatus.APPROVED, "2026-10-25T00:30:00Z", "2026-10-25T00:40:00Z"));
        events.add(conversion("c4", 1, "v3", "O2", "A1", "lead", "USD", 500, 400, ConversionStatus.PENDING, "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z"));
        events.add(conversion("c5", 1, "v4", "O1", "A2", "lead", "EUR", 300, 200, ConversionStatus.APPROVED, "2026-10-25T22:59:00Z", "2026-10-25T22:59:30Z"));
        events.add(status("c5", 2, "v4", "O1", "A2", "lead", ConversionStatus.APPROVED, ConversionStatus.REVERSED, "EUR", 300, 200, "2026-10-26T08:00:00Z"));
        events.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clicks.get("c2"), 1,
                new ConversionRejectedEvent(TenantId.of(tenantId), clicks.get("c2"), id("O1"), id("A1"), "lead", "tx-r1-" + suffix,
                        RejectionReason.DUPLICATE_TRANSACTION, Instant.parse("2026-10-25T05:00:00Z"), "s2s")));
        store.publish(events);
    }

    private DomainEventMessage<?> click(String name, String at, String offer, String affiliate, String country, String device,
                                        Map<String, String> subs, String ip, Boolean unique) {
        String advertiser = offer.equals("O1") ? "ADV1" : "ADV2";
        OfferTerms terms = new OfferTerms("Offer " + offer, id(advertiser), "https://shop.example/?cid={click_id}", "EUR",
                OfferStatus.ACTIVE, List.of(), OfferTerms.DEFAULT_WINDOW_SECONDS, null, Set.of(), Set.of(), null);
        ClickRecordedEvent event = new ClickRecordedEvent(TenantId.of(tenantId), clicks.get(name), id("L-" + offer),
                "code-" + name + suffix, id(affiliate), 1, id(offer), 1, terms, List.of(), subs, Instant.parse(at),
                "test-agent", null, device, country, ip + suffix, "10.0.0", ClickOutcome.OFFER, null, null, unique);
        return new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clicks.get(name), 0, event);
    }

    private DomainEventMessage<?> conversion(String click, long seq, String name, String offer, String affiliate, String goal,
                                             String currency, long revenue, long payout, ConversionStatus status,
                                             String clickedAt, String at) {
        String advertiser = offer.equals("O1") ? "ADV1" : "ADV2";
        ConversionRecordedEvent event = new ConversionRecordedEvent(TenantId.of(tenantId), id(name), clicks.get(click), id(offer),
                id(affiliate), id(advertiser), goal, "tx-" + name + "-" + suffix, status, new Money(revenue, currency),
                new Money(payout, currency), null, null, null, Instant.parse(clickedAt), Instant.parse(at), "s2s", null);
        return new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clicks.get(click), seq, event);
    }

    private DomainEventMessage<?> status(String click, long seq, String name, String offer, String affiliate, String goal,
                                         ConversionStatus from, ConversionStatus to, String currency, long revenue, long payout,
                                         String at) {
        ConversionStatusChangedEvent event = new ConversionStatusChangedEvent(TenantId.of(tenantId), id(name), clicks.get(click),
                id(offer), id(affiliate), goal, "tx-" + name + "-" + suffix, from, to, new Money(revenue, currency),
                new Money(payout, currency), Instant.parse(at));
        return new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clicks.get(click), seq, event);
    }
}
