package io.affnet.sagas.payout.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.sagas.delivery.OutboundProperties;
import io.affnet.sagas.payout.webhook.StripeAccountOwnership;
import io.affnet.sagas.payout.webhook.WebhookEvents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import io.affnet.sagas.payout.paypal.PayPalClient;
import io.affnet.sagas.payout.paypal.PayPalPayoutProcessor;
import io.affnet.sagas.payout.stripe.StripePayoutProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import java.time.Clock;

/** The Stripe and PayPal adapters of the payout port, built from {@link ProcessorProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessorProperties.class)
public class ProcessorConfiguration {

    @Bean
    @Order(100)
    StripePayoutProcessor stripePayoutProcessor(ProcessorProperties p) {
        return new StripePayoutProcessor(new StripePayoutProcessor.Settings(p.connectTimeout(), p.readTimeout(), p.stripeMaxNetworkRetries()));
    }

    @Bean
    ProcessorAccountStore processorAccountStore(JdbcTemplate jdbc, OutboundProperties outbound) {
        return new ProcessorAccountStore(jdbc, outbound.secretKey());
    }

    /** The tenant admin's processor accounts, for the HTTP edge ({@code ProcessorConnections}). */
    @Bean
    ProcessorAccountActions processorAccountActions(ProcessorAccountStore store, ProcessorProperties properties) {
        return new ProcessorAccountActions(store, properties);
    }

    /**
     * Webhook reports go to the payout side's {@link PayoutNotifications}; without one (a node built
     * without payouts) a verified event is refused so that the provider delivers it again later.
     */
    @Bean
    WebhookEvents webhookEvents(JdbcTemplate jdbc, TransactionTemplate tx, ObjectProvider<PayoutNotifications> notifications) {
        return new WebhookEvents(jdbc, tx, (tenant, processor, eventId, reference, batch) -> notifications.getIfAvailable(() -> {
            throw new IllegalStateException("no PayoutNotifications receiver on this node");
        }).processorReported(tenant, processor, eventId, reference, batch));
    }

    /** A Connect account belongs to a tenant when one of its affiliates' Stripe payout methods names it. */
    @Bean
    StripeAccountOwnership stripeAccountOwnership(JdbcTemplate jdbc) {
        return (tenant, account) -> Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM payout_method WHERE tenant_id = ? AND processor = 'STRIPE' AND destination = ?)",
                Boolean.class, tenant, account));
    }

    @Bean
    PayPalClient payPalClient(ProcessorProperties p, ObjectMapper json) {
        return new PayPalClient(p.connectTimeout(), p.readTimeout(), json, Clock.systemUTC());
    }

    @Bean
    @Order(100)
    PayPalPayoutProcessor payPalPayoutProcessor(PayPalClient client, ObjectMapper json) {
        return new PayPalPayoutProcessor(client, json);
    }
}
