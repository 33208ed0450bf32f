package io.affnet.sagas.payout.processor;

import java.time.Duration;
import java.util.Optional;

/**
 * A payment processor that moves money to an affiliate (Stripe Connect transfers, PayPal Payouts).
 * The payout saga talks to processors only through this port; adapters hold the provider's SDK.
 *
 * <p>Every call is safe to repeat: the adapter derives the provider's idempotency material
 * (Stripe's {@code Idempotency-Key} and {@code transfer_group}, PayPal's {@code sender_batch_id} and
 * {@code sender_item_id}) from {@link PayoutInstruction#tenantId()} and {@link PayoutInstruction#payoutId()}
 * alone, through {@link PayoutKeys}, never from a clock or a random number.
 */
public interface PayoutProcessor {

    ProcessorName name();

    /**
     * Why this processor cannot pay an affiliate in that country (ISO 3166 alpha-2) and currency
     * (ISO 4217), or empty when it can. Asked when a payout method is added, so an unsupported method
     * is refused then, not when a run fails.
     */
    Optional<String> refusal(String country, String currency);

    /**
     * Sends the payout. {@link SubmitOutcome.Ambiguous} means the request may or may not have taken
     * effect (timeout, reset, 5xx): the caller must {@link #find} before sending again.
     */
    SubmitOutcome submit(PayoutInstruction instruction);

    /**
     * Asks the processor whether it already holds the transfer or batch item of this payout (Stripe:
     * list transfers by {@code transfer_group}; PayPal: the stored or duplicate-answered batch id).
     * Empty means the processor has no record of it, so a new submit is safe.
     */
    Optional<ProcessorPayout> find(PayoutInstruction instruction);

    /** The current state of a payout the processor is known to hold (re-fetch, never trust a webhook body). */
    ProcessorPayout fetch(PayoutInstruction instruction, String processorReference);

    /**
     * How long after a submit the processor is sure to answer the same submit again (the same idempotency
     * material, {@link PayoutKeys}) with the first one's answer instead of paying again: Stripe keeps an
     * {@code Idempotency-Key} for at least 24 hours and replays its saved answer (500s included; a concurrent
     * request with the key is a 409). Within that window a submit is its own lookup, so the saga may skip
     * {@link #find} before its first submit (docs/payouts.md). Zero (the default): no such promise, always find.
     */
    default Duration replayWindow() {
        return Duration.ZERO;
    }
}
