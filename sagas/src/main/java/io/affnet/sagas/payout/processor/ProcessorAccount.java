package io.affnet.sagas.payout.processor;

import java.util.Objects;

/**
 * A tenant's credentials at one processor, unsealed only for the call. {@code toString} never shows
 * the secrets.
 *
 * @param apiBase the provider's API base URL (a local fake's in tests)
 * @param key Stripe: the secret key; PayPal: the client id
 * @param secret Stripe: unused (empty); PayPal: the client secret
 */
public record ProcessorAccount(ProcessorName processor, String apiBase, String key, String secret) {

    public ProcessorAccount {
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(apiBase, "apiBase");
        Objects.requireNonNull(key, "key");
        secret = secret == null ? "" : secret;
    }

    @Override
    public String toString() {
        return "ProcessorAccount[" + processor + " at " + apiBase + ", credentials hidden]";
    }
}
