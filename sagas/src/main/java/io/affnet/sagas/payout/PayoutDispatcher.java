package io.affnet.sagas.payout;

import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.PayoutRunApprovedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.ReservePayoutCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns an approved run into payouts: one reservation per item in the affiliate's ledger, which either
 * reserves (and so starts the item's {@link PayoutSaga}) or refuses.
 * <p>
 * The items are reserved in chunks of {@code affnet.payouts.dispatch-chunk} (default 200), each chunk in a
 * transaction of its own, committed before the next begins, so the sagas of the first chunk pay while the
 * later ones are reserved (in one transaction, 10,000 items took 133 s before the first saga could start).
 * A crash part-way through resumes from this processor's token, which is stored only after the last chunk:
 * the event comes again and every item is sent again; the ledger ignores the items it already reserved
 * ({@code LedgerBook.reserve}), so committed chunks change nothing the second time. Each chunk keeps the
 * approval's correlation data (who approved), as the one transaction did.
 */
@Component
@DisallowReplay
@ProcessingGroup(PayoutDispatcher.GROUP)
public class PayoutDispatcher implements DisposableBean {

    public static final String GROUP = "payout-dispatch";
    private static final Logger log = LoggerFactory.getLogger(PayoutDispatcher.class);

    private final CommandGateway commands;
    private final TransactionManager transactions;
    private final int chunk;
    /** Where a chunk runs: a thread without the processor's unit of work, so the chunk's is a root that commits. */
    private final ExecutorService chunkThread = Executors.newSingleThreadExecutor(new AxonThreadFactory("payout-dispatch-chunk"));

    public PayoutDispatcher(CommandGateway commands, TransactionManager transactions,
                            @Value("${affnet.payouts.dispatch-chunk:200}") int chunk) {
        this.commands = commands;
        this.transactions = transactions;
        this.chunk = Math.max(1, chunk);
    }

    @EventHandler
    void on(PayoutRunApprovedEvent event) throws InterruptedException {
        Message<?> approval = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getMessage()
                : new GenericMessage<>(event);
        MetaData correlation = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getCorrelationData() : MetaData.emptyInstance();
        List<PayoutRunItem> items = event.items();
        for (int from = 0; from < items.size(); from += chunk) {
            List<PayoutRunItem> part = items.subList(from, Math.min(items.size(), from + chunk));
            Future<?> done = chunkThread.submit(() -> reserve(event, part, approval, correlation));
            try {
                done.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("reserving a chunk of run " + event.runId() + " failed", e.getCause());
            }
        }
    }

    /** One chunk in one transaction: a root unit of work whose commands' units are nested in it. */
    private void reserve(PayoutRunApprovedEvent event, List<PayoutRunItem> part, Message<?> approval, MetaData correlation) {
        DefaultUnitOfWork<Message<?>> uow = DefaultUnitOfWork.startAndGet(approval);
        try {
            uow.attachTransaction(transactions);
            uow.registerCorrelationDataProvider(m -> correlation);
            for (PayoutRunItem item : part) {
                try {
                    commands.sendAndWait(new ReservePayoutCommand(AffiliateLedgerId.of(event.tenantId(), item.affiliateId()),
                            event.tenantId(), event.runId(), item, event.negativeBalanceBlocks(), event.at()));
                } catch (AggregateNotFoundException e) {
                    log.warn("Run {}: affiliate {} has no ledger; its payout {} is skipped", event.runId(), item.affiliateId(),
                            item.payoutId());
                }
            }
            uow.commit();
        } catch (RuntimeException | Error e) {
            if (uow.isActive()) {
                uow.rollback(e);
            }
            throw e;
        }
    }

    @Override
    public void destroy() {
        chunkThread.shutdownNow();
    }
}
