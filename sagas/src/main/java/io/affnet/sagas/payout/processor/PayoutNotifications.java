package io.affnet.sagas.payout.processor;

/**
 * Where verified processor webhooks go. The webhook endpoints check the signature, the tenant's
 * ownership of the account and the event id (each event once), then report here; the receiver
 * re-fetches the payout from the processor instead of trusting the webhook's body.
 */
public interface PayoutNotifications {

    /**
     * @param eventId the provider's event id (Stripe {@code evt_...}, PayPal {@code WH-...})
     * @param reference the provider's object id the event is about (Stripe {@code tr_...}, PayPal
     *        {@code payout_item_id}), or null when the event names only a batch
     * @param batchReference PayPal's {@code payout_batch_id} or Stripe's {@code transfer_group}, or null
     */
    void processorReported(String tenantId, ProcessorName processor, String eventId, String reference,
                           String batchReference);
}
