package io.affnet.sagas.payout.webhook;

/**
 * Whether a Stripe connected account ({@code acct_...}) belongs to one of the tenant's affiliates: a
 * Connect event naming an account of another tenant is refused before anything is recorded.
 */
@FunctionalInterface
public interface StripeAccountOwnership {

    boolean belongsTo(String tenantId, String stripeAccountId);
}
