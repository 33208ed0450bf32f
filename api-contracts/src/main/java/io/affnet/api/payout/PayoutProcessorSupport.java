package io.affnet.api.payout;

import java.util.Optional;

/**
 * Which payment processors this platform can pay through, and for which affiliates: asked when a payout
 * method is added, so an unsupported method is refused then, not when a run fails. The payout side
 * (sagas) answers from its processor adapters; the HTTP edge (command-side) asks.
 */
public interface PayoutProcessorSupport {

    /** Whether the platform has an adapter for the processor ({@code STRIPE}, {@code PAYPAL}). */
    boolean available(String processor);

    /**
     * Why the processor cannot pay an affiliate in that country (ISO 3166 alpha-2) and currency (ISO 4217),
     * or empty when it can (or when the processor is not {@linkplain #available available}).
     */
    Optional<String> refusal(String processor, String country, String currency);
}
