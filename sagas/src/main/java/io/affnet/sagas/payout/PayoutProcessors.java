package io.affnet.sagas.payout;

import io.affnet.api.payout.PayoutProcessorSupport;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorAccounts;
import io.affnet.sagas.payout.processor.ProcessorName;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processors the platform has adapters for and the tenants' credentials at them: what the payout
 * saga and the payout-method check ({@link PayoutProcessorSupport}) are given as a resource. The first adapter of a name wins (the
 * beans come in {@code @Order}).
 */
public class PayoutProcessors implements PayoutProcessorSupport {

    private final Map<ProcessorName, PayoutProcessor> byName = new EnumMap<>(ProcessorName.class);
    private final ProcessorAccounts accounts;

    public PayoutProcessors(List<PayoutProcessor> processors, ProcessorAccounts accounts) {
        processors.forEach(p -> byName.putIfAbsent(p.name(), p));
        this.accounts = accounts;
    }

    public Optional<PayoutProcessor> processor(String name) {
        try {
            return Optional.ofNullable(byName.get(ProcessorName.valueOf(name)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean available(String processor) {
        return processor(processor).isPresent();
    }

    @Override
    public Optional<String> refusal(String processor, String country, String currency) {
        return processor(processor).flatMap(p -> p.refusal(country, currency));
    }

    public Optional<ProcessorAccount> account(String tenantId, String processor) {
        try {
            return accounts.of(tenantId, ProcessorName.valueOf(processor));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
