package io.affnet.sagas.payout.processor;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How affnet talks to Stripe and PayPal ({@code affnet.payouts.processors.*}, listed in the README).
 *
 * @param connectTimeout          the most a connection to a processor may take
 * @param readTimeout             the most an answer may take; past it a submit is ambiguous (reconciled by {@code find})
 * @param stripeMaxNetworkRetries stripe-java's own retries inside one call (same idempotency key; connect errors, 409, 5xx)
 * @param allowLocalApiBase       accept {@code http://} and loopback API bases for tenants' processor credentials
 *                                (local fakes in tests and the payout eval); off in production, where only https is taken
 * @param webhookMaxBodyBytes     the largest processor webhook body read (larger ones are refused with 413)
 * @param stripeWebhookTolerance  how old a {@code Stripe-Signature} timestamp may be (Stripe's default: 300 s)
 */
@ConfigurationProperties(prefix = "affnet.payouts.processors")
public record ProcessorProperties(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("2") int stripeMaxNetworkRetries,
        @DefaultValue("false") boolean allowLocalApiBase,
        @DefaultValue("65536") int webhookMaxBodyBytes,
        @DefaultValue("300s") Duration stripeWebhookTolerance) {
}
