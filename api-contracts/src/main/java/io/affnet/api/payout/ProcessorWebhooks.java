package io.affnet.api.payout;

import java.util.function.UnaryOperator;

/**
 * A payment processor's webhook delivery for a tenant: the payout side (sagas) checks its signature with
 * the tenant's credentials, reads the event and reports it once per event id; the HTTP edge
 * (command-side) reads the bounded body and turns a {@link Refused} into a problem document. It is a
 * call, not a command: checking a PayPal signature is a call to PayPal, and no database transaction
 * waits on it.
 */
public interface ProcessorWebhooks {

    /** The largest body a webhook may have; a larger one is refused before it is read. */
    int maxBodyBytes();

    /**
     * @param processor {@code STRIPE} or {@code PAYPAL}
     * @param headers   the request's header by name (null when absent)
     * @return whether the event had been received before (a redelivery: nothing is reported again)
     * @throws Refused when the delivery is not one to act on; nothing is recorded then
     */
    Receipt receive(String processor, String tenantId, UnaryOperator<String> headers, byte[] body);

    /** @param duplicate the event id was seen before */
    record Receipt(boolean duplicate) {
    }

    /** Why a delivery is refused. */
    enum Reason {
        /** The tenant has no credentials at this processor, so no endpoint. */
        NO_ENDPOINT,
        /** A signature header is missing or malformed. */
        MISSING_SIGNATURE,
        /** PayPal's certificate URL is not PayPal's. */
        UNTRUSTED_CERT_URL,
        /** The body is not an event of this processor. */
        MALFORMED_EVENT,
        /** The signature does not match the tenant's secret, is too old, or the processor did not verify it. */
        BAD_SIGNATURE,
        /** A Connect event names an account none of the tenant's affiliates has. */
        FOREIGN_ACCOUNT,
        /** The processor could not verify the signature now; it delivers the event again. */
        VERIFICATION_UNAVAILABLE
    }

    /** A refused delivery, for the HTTP edge to turn into a problem document. */
    final class Refused extends RuntimeException {

        private final Reason reason;

        public Refused(Reason reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
