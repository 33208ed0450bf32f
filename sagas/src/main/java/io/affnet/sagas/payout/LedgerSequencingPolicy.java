package io.affnet.sagas.payout;

import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.ledger.AffiliateLedgerId;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * The ledger intake's events in the order of the ledger they feed: every conversion event of one
 * affiliate's ledger goes to one segment. Sequenced by click (the default), two segments sent commands
 * to the same ledger from two threads; each thread's batch holds the ledger locks it took until the batch
 * commits, so two batches touching the same two ledgers in opposite orders deadlocked (Axon answers with a
 * {@code DeadlockException}). Per ledger, a batch's ledgers are its segment's alone.
 */
public final class LedgerSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

    private final SequentialPerAggregatePolicy fallback = SequentialPerAggregatePolicy.instance();

    @Override
    public Object getSequenceIdentifierFor(EventMessage<?> event) {
        Object payload = event.getPayload();
        if (payload instanceof ConversionRecordedEvent e) {
            return AffiliateLedgerId.of(e.tenantId(), e.affiliateId());
        }
        if (payload instanceof ConversionStatusChangedEvent e) {
            return AffiliateLedgerId.of(e.tenantId(), e.affiliateId());
        }
        if (payload instanceof ConversionAdjustedEvent e) {
            return AffiliateLedgerId.of(e.tenantId(), e.affiliateId());
        }
        return fallback.getSequenceIdentifierFor(event);
    }
}
