package io.affnet.api.payout;

/**
 * Where an affiliate is paid: a Stripe connected account ({@code acct_...}) or a PayPal receiver
 * (an email or a payer id), in a preferred currency.
 *
 * @param recipientType PayPal: EMAIL or PAYPAL_ID; Stripe: empty
 */
public record PayoutMethod(String methodId, String processor, String destination, String recipientType,
                           String currency, String country) {
}
