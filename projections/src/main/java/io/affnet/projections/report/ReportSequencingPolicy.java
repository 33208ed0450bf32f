package io.affnet.projections.report;

import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * How {@code report-views} spreads events over its segments: clicks and conversion events by tenant,
 * offer and affiliate (a missing offer or affiliate is a value like any other), everything else per
 * aggregate. Every conversion event carries its click's offer and affiliate, so one click's events stay
 * in one segment in order (a conversion finds its click's document), and every click rollup document
 * (one per tenant, hour, offer, advertiser, affiliate) has a single writer.
 * <p>
 * The price: the coordinator deserializes these payloads to choose the segment (the workers then reuse
 * them), and one very busy offer and affiliate pair stays on one segment.
 */
public final class ReportSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    private final SequentialPerAggregatePolicy fallback = SequentialPerAggregatePolicy.instance();
    /**
     * The last answer. The coordinator asks once per segment for the same message (each work package
     * checks whether the event is its own); building and hashing the key again for each showed in the
     * rebuild's profile, on the coordinator thread that bounds it.
     */
    private volatile Last last;

    private record Last(EventMessage<?> event, Object key) {
    }

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Last l = last;
        if (l != null && l.event() == event) {
            return l.key();
        }
        Object key = identify(event);
        last = new Last(event, key);
        return key;
    }

    private Object identify(EventMessage<?> event) {
        Class<?> type = event.getPayloadType();
        if (type == ClickRecordedEvent.class) {
            ClickRecordedEvent e = (ClickRecordedEvent) event.getPayload();
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (type == ConversionRecordedEvent.class) {
            ConversionRecordedEvent e = (ConversionRecordedEvent) event.getPayload();
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (type == ConversionRejectedEvent.class) {
            ConversionRejectedEvent e = (ConversionRejectedEvent) event.getPayload();
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (type == ConversionStatusChangedEvent.class) {
            ConversionStatusChangedEvent e = (ConversionStatusChangedEvent) event.getPayload();
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (type == ConversionAdjustedEvent.class) {
            ConversionAdjustedEvent e = (ConversionAdjustedEvent) event.getPayload();
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        return fallback.getSequenceIdentifierFor(event);
    }

    /**
     * A string, so every node picks the same segment (String.hashCode is specified); parts are
     * length-prefixed so no two keys collide.
     */
    static String key(TenantId tenant, String offerId, String affiliateId) {
        return part(tenant == null ? null : tenant.value()) + "|" + part(offerId) + "|" + part(affiliateId);
    }

    private static String part(String value) {
        return value == null ? "-" : value.length() + ":" + value;
    }
}
