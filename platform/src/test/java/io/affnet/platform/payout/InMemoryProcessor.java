package io.affnet.platform.payout;

import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A processor double for the platform ITs (the faithful Stripe/PayPal fakes are another branch's):
 * it holds transfers by transfer group, so {@code find} sees what an earlier {@code submit} did. A
 * destination decides the behaviour: {@code acct_ambiguous...} applies the first submit and answers
 * {@link SubmitOutcome.Ambiguous}; {@code acct_reject...} is rejected; anything else is accepted
 * pending and becomes paid on the next fetch. It refuses JPY (to prove refusal at method creation).
 */
public class InMemoryProcessor implements PayoutProcessor {

    public final Map<String, ProcessorPayout> transfers = new ConcurrentHashMap<>();
    public final AtomicInteger submits = new AtomicInteger();
    public final AtomicInteger effectiveTransfers = new AtomicInteger();
    public final AtomicInteger finds = new AtomicInteger();

    @Override
    public ProcessorName name() {
        return ProcessorName.STRIPE;
    }

    @Override
    public Optional<String> refusal(String country, String currency) {
        return currency.equals("JPY") ? Optional.of("this platform's Stripe account cannot pay JPY") : Optional.empty();
    }

    @Override
    public SubmitOutcome submit(PayoutInstruction instruction) {
        submits.incrementAndGet();
        String group = PayoutKeys.stripeTransferGroup(instruction.tenantId(), instruction.payoutId());
        if (instruction.destination().startsWith("acct_reject")) {
            return new SubmitOutcome.Rejected("account_invalid", "No such destination");
        }
        boolean created = !transfers.containsKey(group);
        ProcessorPayout payout = transfers.computeIfAbsent(group, g -> new ProcessorPayout("tr_" + effectiveTransfers.incrementAndGet()
                + "_" + g.substring(7, 15), g, ProcessorStatus.PENDING, instruction.amount(), instruction.destination()));
        if (created && instruction.destination().startsWith("acct_ambiguous")) {
            return new SubmitOutcome.Ambiguous("read timed out");
        }
        return new SubmitOutcome.Accepted(payout);
    }

    @Override
    public Optional<ProcessorPayout> find(PayoutInstruction instruction) {
        finds.incrementAndGet();
        return Optional.ofNullable(transfers.get(PayoutKeys.stripeTransferGroup(instruction.tenantId(), instruction.payoutId())));
    }

    @Override
    public ProcessorPayout fetch(PayoutInstruction instruction, String processorReference) {
        String group = PayoutKeys.stripeTransferGroup(instruction.tenantId(), instruction.payoutId());
        return transfers.computeIfPresent(group, (g, p) -> p.status() == ProcessorStatus.PENDING
                ? new ProcessorPayout(p.reference(), p.batchReference(), ProcessorStatus.PAID, p.amount(), p.destination()) : p);
    }

    /** Later news: the processor reversed a paid transfer. */
    public void reverse(String reference) {
        transfers.replaceAll((g, p) -> p.reference().equals(reference)
                ? new ProcessorPayout(p.reference(), p.batchReference(), ProcessorStatus.REVERSED, p.amount(), p.destination()) : p);
    }
}
