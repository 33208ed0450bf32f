package io.affnet.sagas.payout.processor;

import io.affnet.api.common.Money;

import java.util.Objects;

/**
 * One payout to send: who (the tenant's processor account and the affiliate's destination), how much
 * (exact ISO-4217 minor units, as in the ledger; the adapter converts through its exponent table and
 * refuses what does not convert exactly), and the ids every idempotency key is derived from.
 *
 * @param destination Stripe: the connected account {@code acct_...}; PayPal: an email or a PayPal payer id
 * @param recipientType PayPal's {@code EMAIL} or {@code PAYPAL_ID}; ignored by Stripe
 * @param knownReference what the saga stored of an earlier answer for this payout (PayPal: the
 *                       {@code payout_batch_id}, else the item id), or null; {@link PayoutProcessor#find}
 *                       of a processor without a lookup by its idempotency key reads it instead
 */
public record PayoutInstruction(String tenantId, String payoutId, Money amount, String destination,
                                String recipientType, ProcessorAccount account, String knownReference) {

    public PayoutInstruction(String tenantId, String payoutId, Money amount, String destination, String recipientType,
                             ProcessorAccount account) {
        this(tenantId, payoutId, amount, destination, recipientType, account, null);
    }

    public PayoutInstruction {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(payoutId, "payoutId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(account, "account");
        if (amount.minor() <= 0) {
            throw new IllegalArgumentException("a payout amount is positive");
        }
    }
}
