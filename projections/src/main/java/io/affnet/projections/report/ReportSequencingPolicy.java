package io.affnet.projections.report;

import io.affnet.api.click.ClickMetaData;
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
 * A click recorded with its key in the metadata ({@link ClickMetaData#REPORT_KEY}, every click since
 * issue 19) is placed by it: the coordinator reads the small metadata map (which the worker reads anyway
 * for the click's global index) instead of deserializing the ~1.2 KB payload, and the payload is then
 * deserialized on the segment's worker thread, in parallel, not on the single coordinator thread.
 * Older clicks and the conversion events are placed by their payloads, with the same key function, so a
 * replay puts every click of one rollup in one segment whichever way its key was read.
 * The price: one very busy offer and affiliate pair stays on one segment.
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
        if (type == ClickRecordedEvent.class && event.getMetaData().get(ClickMetaData.REPORT_KEY) instanceof String key) {
            return key;
        }
        // Other payloads are not deserialised here: they go per aggregate.
        return ReportBatch.EVENT_TYPES.contains(type) ? keyOf(event.getPayload()) : fallback.getSequenceIdentifierFor(event);
    }

    /**
     * The (tenant, offer, affiliate) key of a click or conversion event, null for any other payload. The
     * rebuild's bulk phase ({@link ReportBulkLoad}) spreads events over its workers by the same key, so
     * each rollup document has one writer there too and a click's events stay in order.
     */
    static String keyOf(Object payload) {
        if (payload instanceof ClickRecordedEvent e) {
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (payload instanceof ConversionRecordedEvent e) {
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (payload instanceof ConversionRejectedEvent e) {
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (payload instanceof ConversionStatusChangedEvent e) {
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        if (payload instanceof ConversionAdjustedEvent e) {
            return key(e.tenantId(), e.offerId(), e.affiliateId());
        }
        return null;
    }

    /** {@link ClickMetaData#reportKey}: the same for a key read from metadata and one made from a payload. */
    static String key(TenantId tenant, String offerId, String affiliateId) {
        return ClickMetaData.reportKey(tenant, offerId, affiliateId);
    }
}
