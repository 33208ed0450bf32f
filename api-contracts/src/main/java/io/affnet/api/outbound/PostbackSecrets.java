package io.affnet.api.outbound;

/**
 * Issues an affiliate's (or a tenant's payout endpoint's) postback signing secret: the secret in clear,
 * shown once to the tenant admin, and sealed, as it goes into {@link PostbackSecretIssuedEvent} and the
 * endpoint's commands. The outbound side (sagas), which opens the secret to sign every postback, owns the
 * sealed format and the platform key; the HTTP edge (command-side) asks.
 */
public interface PostbackSecrets {

    Issued issue();

    /** A new secret: in clear (never stored, never logged) and sealed. */
    record Issued(String secret, String sealed) {
        @Override
        public String toString() {
            return "Issued[secret hidden]";
        }
    }
}
