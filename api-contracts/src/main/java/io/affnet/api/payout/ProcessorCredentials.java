package io.affnet.api.payout;

/**
 * A tenant's credentials at a payment processor, in clear: held only in memory, sealed at rest by their
 * owner (sagas' {@code ProcessorAccountStore}), never returned by any API and never printed.
 *
 * @param apiBase               the processor's API base URL
 * @param key                   Stripe: the secret or restricted key; PayPal: the client id
 * @param secret                PayPal: the client secret (Stripe: null)
 * @param webhookSecret         Stripe: the endpoint's signing secret (PayPal: null)
 * @param previousWebhookSecret Stripe: the secret being rolled, still accepted during the overlap (or null)
 * @param webhookId             PayPal: the id of the webhook subscription (Stripe: null)
 */
public record ProcessorCredentials(String apiBase, String key, String secret, String webhookSecret,
                                   String previousWebhookSecret, String webhookId) {
    @Override
    public String toString() {
        return "Credentials[" + apiBase + ", secrets hidden]";
    }
}
