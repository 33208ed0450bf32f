package io.affnet.api.payout;

import io.affnet.api.common.Money;

/**
 * One affiliate's payout in a run: {@code amount} leaves its available balance in the earned currency,
 * {@code paid} reaches it in the method's currency (equal when no conversion; else at {@code quote}).
 *
 * @param recipientType PayPal's EMAIL or PAYPAL_ID; empty for Stripe
 */
public record PayoutRunItem(String payoutId, String affiliateId, String processor, String methodId, String destination,
                            String recipientType, Money amount, Money paid, FxQuote quote) {
}
