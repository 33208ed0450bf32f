package io.affnet.api.payout;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant connects its Stripe or PayPal account. The payout side (sagas) owns the credentials and seals
 * them at rest; the HTTP edge (command-side) checks the request's shape and asks. Processors are named
 * {@code STRIPE} and {@code PAYPAL}.
 */
public interface ProcessorConnections {

    /** Why the tenant may not store this API base (the operator decides whether local test bases are allowed), or empty. */
    Optional<String> apiBaseRefusal(String apiBase);

    /** Stores the tenant's credentials (replacing earlier ones) and answers when. */
    Instant connect(String tenantId, String processor, ProcessorCredentials credentials);

    /** The processors the tenant has connected, by name, and since when. */
    Map<String, Instant> connectedSince(String tenantId);
}
