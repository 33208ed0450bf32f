package io.affnet.sagas.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbound postback machinery of a node: the outbox, the sender and (unless switched off) the worker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class DeliveryConfiguration {

    @Bean
    DeliveryStore deliveryStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new DeliveryStore(jdbc, tx);
    }

    /** Where outbound requests may go: global unicast only, plus the operator's exceptions. */
    @Bean
    OutboundTargets outboundTargets(OutboundProperties properties) {
        return new OutboundTargets(properties.privateTargets());
    }

    /** The command side's postback secrets, sealed as the senders open them. */
    @Bean
    PostbackSecretIssuer postbackSecretIssuer(OutboundProperties properties) {
        return new PostbackSecretIssuer(properties);
    }

    @Bean(destroyMethod = "close")
    PostbackSender postbackSender(OutboundProperties properties, OutboundTargets targets) {
        return new PostbackSender(properties.attemptTimeout(), properties.concurrency() * 2, targets);
    }

    @Bean
    RetryPolicy retryPolicy(OutboundProperties properties) {
        return new RetryPolicy(properties);
    }

    @Bean
    DeliverySignal deliverySignal() {
        return new DeliverySignal();
    }

    @Bean
    PostbackDeliveryActions postbackDeliveryActions(DeliveryStore store, PostbackSender sender, DeliverySignal signal,
                                                    ObjectMapper json, OutboundProperties properties) {
        return new PostbackDeliveryActions(store, sender, signal, json, properties);
    }

    @Bean
    DeliveryFaults deliveryFaults() {
        return new DeliveryFaults();
    }

    @Bean
    @ConditionalOnProperty(name = "affnet.outbound.worker-enabled", havingValue = "true", matchIfMissing = true)
    DeliveryWorker deliveryWorker(DeliveryStore store, PostbackSender sender, RetryPolicy policy, OutboundProperties properties,
                                  DeliverySignal signal, DeliveryFaults faults, CommandGateway commands) {
        return new DeliveryWorker(store, sender, policy, properties, signal, faults, commands);
    }
}
