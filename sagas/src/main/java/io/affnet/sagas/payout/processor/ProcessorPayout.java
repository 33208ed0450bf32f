package io.affnet.sagas.payout.processor;

import io.affnet.api.common.Money;

/**
 * What a processor holds for one payout.
 *
 * @param reference Stripe: the transfer id {@code tr_...}; PayPal: the item's {@code payout_item_id}
 * @param batchReference PayPal: the {@code payout_batch_id}; Stripe: the {@code transfer_group}
 * @param amount in ISO-4217 minor units (converted back through the exponent table)
 */
public record ProcessorPayout(String reference, String batchReference, ProcessorStatus status, Money amount,
                              String destination) {
}
