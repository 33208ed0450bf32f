package io.affnet.platform.report;

import io.affnet.api.click.ClickMetaData;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A generated but fixed history for one tenant (seeded random), dense enough that rollup documents hold
 * many clicks each: 60 clicks in each of the two UTC hours around the Berlin DST change (2026-10-25
 * 00:00–02:00 UTC), 60 more spread over 2026-10-24 18:00 to 2026-10-26 06:00 UTC, and 20 around the
 * month's end (2026-10-31 22:00 to 11-01 02:00 UTC). Offers O1, O2 (advertiser ADV1), O3 (ADV2) and
 * none (a click no offer was eligible for); affiliates A1–A3. Every fourth click is not unique, every
 * seventh has no flag (counts as unique). Every fifth click converts; some conversions are approved or
 * reversed later, and one report is refused. {@link #clicks} lists what was appended, so tests compute
 * expected figures from it.
 */
final class RollupDataset {

    record Click(String id, Instant at, String offer, String advertiser, String affiliate, boolean unique) {
    }

    final String tenantId;
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final List<Click> clicks = new ArrayList<>();
    final List<DomainEventMessage<?>> events = new ArrayList<>();

    RollupDataset(String tenantId) {
        this.tenantId = tenantId;
        SplittableRandom random = new SplittableRandom(2026);
        int n = 0;
        for (int i = 0; i < 60; i++) {
            add(n++, Instant.parse("2026-10-25T00:00:00Z").plusSeconds(random.nextInt(3600)), random);
            add(n++, Instant.parse("2026-10-25T01:00:00Z").plusSeconds(random.nextInt(3600)), random);
            add(n++, Instant.parse("2026-10-24T18:00:00Z").plusSeconds(random.nextInt(36 * 3600)), random);
        }
        for (int i = 0; i < 20; i++) {
            add(n++, Instant.parse("2026-10-31T22:00:00Z").plusSeconds(random.nextInt(4 * 3600)), random);
        }
    }

    String id(String name) {
        return name + "_" + suffix;
    }

    private void add(int n, Instant at, SplittableRandom random) {
        int o = random.nextInt(7);
        String offer = o == 6 ? null : id("O" + (1 + o % 3));
        String advertiser = offer == null ? null : offer.startsWith("O3") ? id("ADV2") : id("ADV1");
        String affiliate = id("A" + (1 + random.nextInt(3)));
        Boolean unique = n % 7 == 0 ? null : n % 4 != 0;
        String clickId = "rr" + n + "_" + suffix;
        clicks.add(new Click(clickId, at, offer, advertiser, affiliate, unique == null || unique));
        OfferTerms terms = offer == null ? null : new OfferTerms("Offer", advertiser, "https://shop.example/?cid={click_id}", "EUR",
                OfferStatus.ACTIVE, List.of(), OfferTerms.DEFAULT_WINDOW_SECONDS, null, Set.of(), Set.of(), null);
        ClickRecordedEvent click = new ClickRecordedEvent(TenantId.of(tenantId), clickId, id("L1"), "code" + n + suffix, affiliate, 1,
                offer, 1, terms, List.of(), Map.of("sub1", "s" + n % 3), at, "test-agent", null, "desktop", "DE",
                "ip" + n + suffix, "10.0.0", offer == null ? ClickOutcome.NOT_SERVED : ClickOutcome.OFFER, null, null, unique);
        // Half the clicks as the platform records them since issue 19 (the report key in the metadata), half as
        // before (no key: placed by the payload): both must land in the same segment for a rollup to be right.
        events.add(n % 2 == 0 ? new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 0, click, ClickMetaData.of(click))
                : new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 0, click));
        if (offer != null && n % 5 == 0) {
            String conversionId = "rv" + n + "_" + suffix;
            ConversionStatus status = n % 3 == 0 ? ConversionStatus.APPROVED : ConversionStatus.PENDING;
            Instant convertedAt = at.plusSeconds(600);
            events.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 1,
                    new ConversionRecordedEvent(TenantId.of(tenantId), conversionId, clickId, offer, affiliate, advertiser, "lead",
                            "tx" + n + suffix, status, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, at,
                            convertedAt, "s2s", null)));
            if (n % 2 == 0) {
                ConversionStatus to = status == ConversionStatus.APPROVED ? ConversionStatus.REVERSED : ConversionStatus.APPROVED;
                events.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 2,
                        new ConversionStatusChangedEvent(TenantId.of(tenantId), conversionId, clickId, offer, affiliate, "lead",
                                "tx" + n + suffix, status, to, new Money(500, "EUR"), new Money(300, "EUR"), convertedAt.plusSeconds(3600))));
            }
        }
        if (n == 4) {
            events.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 1,
                    new ConversionRejectedEvent(TenantId.of(tenantId), clickId, offer, affiliate, "lead", "txr" + suffix,
                            RejectionReason.DUPLICATE_TRANSACTION, at.plusSeconds(60), "s2s")));
        }
    }
}
