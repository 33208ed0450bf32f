package io.affnet.sagas.payout;

import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorAccounts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Optional;

/** The payout saga's resources. Without a {@link ProcessorAccounts} bean no tenant has a processor account. */
@Configuration(proxyBeanMethods = false)
public class PayoutConfiguration {

    @Bean
    PayoutProcessors payoutProcessors(ObjectProvider<PayoutProcessor> processors, ObjectProvider<ProcessorAccounts> accounts) {
        ProcessorAccounts none = (tenant, processor) -> Optional.empty();
        return new PayoutProcessors(processors.orderedStream().toList(), (tenant, processor) ->
                accounts.getIfAvailable(() -> none).of(tenant, processor));
    }

    @Bean
    PayoutTimings payoutTimings(@Value("${affnet.payouts.retry-first:PT2S}") Duration retryFirst,
                                @Value("${affnet.payouts.retry-max:PT10M}") Duration retryMax,
                                @Value("${affnet.payouts.poll-first:PT30S}") Duration pollFirst,
                                @Value("${affnet.payouts.poll-max:PT6H}") Duration pollMax,
                                @Value("${affnet.payouts.give-up:P35D}") Duration giveUp,
                                @Value("${affnet.payouts.watch:P35D}") Duration watch) {
        return new PayoutTimings(retryFirst, retryMax, pollFirst, pollMax, giveUp, watch);
    }
}
