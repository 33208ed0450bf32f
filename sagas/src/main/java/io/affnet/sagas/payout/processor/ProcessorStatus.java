package io.affnet.sagas.payout.processor;

/**
 * A payout's state at the processor, mapped from Stripe's transfer (and its reversals) and PayPal's
 * item {@code transaction_status}. {@link #PAID}, {@link #FAILED}, {@link #RETURNED} and
 * {@link #REVERSED} end a payout; later news can only move {@link #PAID} to {@link #RETURNED} or
 * {@link #REVERSED}, which the ledger books as compensating entries.
 */
public enum ProcessorStatus {
    /** Accepted, not yet final (PayPal PENDING, ONHOLD, UNCLAIMED before expiry). */
    PENDING,
    /** The money reached the affiliate's account (Stripe: transfer created; PayPal SUCCESS). */
    PAID,
    /** Never paid (PayPal FAILED, BLOCKED, DENIED, CANCELED). */
    FAILED,
    /** Paid, then returned to the platform (PayPal RETURNED, REFUNDED, UNCLAIMED after expiry). */
    RETURNED,
    /** Paid, then taken back (Stripe transfer reversal, PayPal REVERSED). */
    REVERSED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
