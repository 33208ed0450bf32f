package io.affnet.sagas.payout;

import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostAdjustmentCommand;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostEarningsCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.payout.PayoutTerms;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the affiliates' ledgers from the conversion path: an approval (a conversion recorded approved,
 * or moved to approved) posts an earning held per the tenant's terms for its offer; a reversal of an
 * approved conversion claws it back; an adjustment of an approved conversion (moderation) moves the earning
 * to the new amounts by an entry of the difference. These are the same moments at which the click emits
 * {@code CommissionEarnedEvent}/{@code CommissionReversedEvent}; the conversion events are read
 * because they also carry the revenue, which the receivable and the margin need. The ledger ignores
 * repeats, so a redelivery posts nothing twice; a replay sends nothing ({@link DisallowReplay}).
 * <p>
 * Approvals are posted per ledger and processor batch, not one command each (issue 17, the soak): within a batch
 * (Axon's {@link BatchingUnitOfWork}, one transaction) the earnings of one ledger are collected in order and sent as
 * one {@link PostEarningsCommand} when the batch's last event has been handled ({@link #batchEnd}, the processor's
 * handler interceptor), or earlier, just before a reversal or adjustment of the same ledger is sent, so the ledger
 * sees its commands in the events' order. The command runs in the batch's transaction as before: a batch that rolls
 * back posts nothing and is delivered again; the ledger ignores a conversion it has earned already. Outside a
 * processor batch (no batching unit of work) each approval is still sent at once.
 */
@Component
@DisallowReplay
@ProcessingGroup(LedgerIntake.GROUP)
public class LedgerIntake {

    public static final String GROUP = "ledger-intake";

    private final CommandGateway commands;
    private final PayoutTermsLookup terms;

    public LedgerIntake(CommandGateway commands, PayoutTermsLookup terms) {
        this.commands = commands;
        this.terms = terms;
    }

    /**
     * The tenant's terms, read once per batch of the processor (its root unit of work) and tenant: a batch of 200
     * approvals of one tenant reads them once, not 200 times (the intake is one segment per ledger, so these reads
     * were round trips in a row; docs/operations.md, Soak). The terms in force are the ones read when the batch
     * handles the tenant's first approval, as before they were the ones read when each approval was handled.
     */
    private PayoutTerms termsOf(String tenantId) {
        if (!CurrentUnitOfWork.isStarted()) {
            return terms.of(tenantId);
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(TERMS + tenantId, key -> terms.of(tenantId));
    }

    private static final String TERMS = LedgerIntake.class.getName() + ".terms:";

    @EventHandler
    void on(ConversionRecordedEvent event) {
        if (event.status() == ConversionStatus.APPROVED) {
            earn(new PostEarningCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
                    event.tenantId(), event.affiliateId(), event.conversionId(), event.offerId(), event.revenue(),
                    event.payout(), termsOf(event.tenantId().value()).holdFor(event.offerId()), event.convertedAt()));
        }
    }

    /**
     * An approved conversion's amounts were adjusted: the ledger posts the difference, named by this event's id so a
     * redelivery posts nothing twice. A pending conversion's adjustment moves nothing here (its approval earns the
     * new amounts).
     */
    @EventHandler
    void on(ConversionAdjustedEvent event, EventMessage<?> message) {
        if (event.status() != ConversionStatus.APPROVED) {
            return;
        }
        String ledger = AffiliateLedgerId.of(event.tenantId(), event.affiliateId());
        postPending(commands, ledger);
        try {
            commands.sendAndWait(new PostAdjustmentCommand(ledger, event.tenantId(), event.affiliateId(), event.conversionId(), message.getIdentifier(), event.revenue(),
                    event.payout(), event.adjustedAt()));
        } catch (AggregateNotFoundException e) {
            // Nothing was ever earned by this affiliate (an approval from before the ledger existed): nothing to adjust.
        }
    }

    @EventHandler
    void on(ConversionStatusChangedEvent event) {
        if (event.to() == ConversionStatus.APPROVED) {
            earn(new PostEarningCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
                    event.tenantId(), event.affiliateId(), event.conversionId(), event.offerId(), event.revenue(),
                    event.payout(), termsOf(event.tenantId().value()).holdFor(event.offerId()), event.changedAt()));
        } else if (event.to() == ConversionStatus.REVERSED) {
            String ledger = AffiliateLedgerId.of(event.tenantId(), event.affiliateId());
            postPending(commands, ledger);
            try {
                commands.sendAndWait(new PostReversalCommand(ledger, event.tenantId(), event.affiliateId(),
                        event.conversionId(), event.changedAt()));
            } catch (AggregateNotFoundException e) {
                // Nothing was ever earned by this affiliate, so there is nothing to claw back.
            }
        }
    }

    /**
     * An approval's earning: collected for its ledger while a processor batch runs (posted by {@link #batchEnd} or
     * before the ledger's next reversal or adjustment), sent at once otherwise.
     */
    private void earn(PostEarningCommand earning) {
        UnitOfWork<?> root = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root() : null;
        if (!(root instanceof BatchingUnitOfWork<?>)) {
            commands.sendAndWait(earning);
            return;
        }
        root.getOrComputeResource(PENDING, key -> {
            Map<String, List<PostEarningCommand>> pending = new LinkedHashMap<>();
            // A batch that would commit with earnings not posted (the interceptor missing) fails instead: it rolls
            // back and is delivered again, nothing is lost.
            root.onPrepareCommit(u -> {
                if (!pending.isEmpty()) {
                    throw new IllegalStateException("ledger intake: " + pending.size()
                            + " ledgers' earnings not posted at the end of the batch (is batchEnd registered?)");
                }
            });
            return pending;
        }).computeIfAbsent(earning.ledgerId(), l -> new ArrayList<>()).add(earning);
    }

    /** Sends the earnings collected in this batch for {@code ledger}, if any, as one command. */
    private static void postPending(CommandGateway commands, String ledger) {
        if (!CurrentUnitOfWork.isStarted()) {
            return;
        }
        Map<String, List<PostEarningCommand>> pending = CurrentUnitOfWork.get().root().getResource(PENDING);
        if (pending == null) {
            return;
        }
        List<PostEarningCommand> earnings = pending.remove(ledger);
        if (earnings != null) {
            PostEarningCommand first = earnings.get(0);
            commands.sendAndWait(new PostEarningsCommand(ledger, first.tenantId(), first.affiliateId(), earnings));
        }
    }

    private static final String PENDING = LedgerIntake.class.getName() + ".pending";

    /**
     * The handler interceptor of this processing group (PayoutsConfiguration registers it): after the batch's last
     * event has been handled, the earnings collected per ledger are posted, one command per ledger, in the order the
     * ledgers were first met, still in the batch's unit of work and transaction.
     */
    public static MessageHandlerInterceptor<EventMessage<?>> batchEnd(CommandGateway commands) {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (unitOfWork.root() instanceof BatchingUnitOfWork<?> batch && batch.isLastMessage()) {
                Map<String, List<PostEarningCommand>> pending = batch.getResource(PENDING);
                if (pending != null) {
                    for (String ledger : List.copyOf(pending.keySet())) {
                        postPending(commands, ledger);
                    }
                }
            }
            return result;
        };
    }
}
