package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.sagas.payout.paypal.PayPalClient;
import io.affnet.sagas.payout.processor.ProcessorAccountStore;
import io.affnet.sagas.payout.processor.ProcessorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** The webhook skeleton with its Stripe and PayPal parts, answering the HTTP edge's {@code ProcessorWebhooks}. */
@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

    @Bean
    WebhookIntake webhookIntake(ProcessorAccountStore accounts, WebhookEvents events, StripeAccountOwnership ownership,
                                PayPalClient paypal, ProcessorProperties properties, ObjectMapper json) {
        return new WebhookIntake(List.of(
                new StripeWebhooks(accounts, ownership, properties.stripeWebhookTolerance()),
                new PayPalWebhooks(paypal, json, properties.allowLocalApiBase())),
                accounts, events, json, properties.webhookMaxBodyBytes());
    }
}
