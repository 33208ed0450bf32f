package io.affnet.sagas.payout;

import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostAdjustmentCommand;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.payout.PayoutTerms;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Feeds the affiliates' ledgers from the conversion path: an approval (a conversion recorded approved,
 * or moved to approved) posts an earning held per the tenant's terms for its offer; a reversal of an
 * approved conversion claws it back; an adjustment of an approved conversion (moderation) moves the earning
 * to the new amounts by an entry of the difference. These are the same moments at which the click emits
 * {@code CommissionEarnedEvent}/{@code CommissionReversedEvent}; the conversion events are read
 * because they also carry the revenue, which the receivable and the margin need. The ledger ignores
 * repeats, so a redelivery posts nothing twice; a replay sends nothing ({@link DisallowReplay}).
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
            commands.sendAndWait(new PostEarningCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
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
        try {
            commands.sendAndWait(new PostAdjustmentCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
                    event.tenantId(), event.affiliateId(), event.conversionId(), message.getIdentifier(), event.revenue(),
                    event.payout(), event.adjustedAt()));
        } catch (AggregateNotFoundException e) {
            // Nothing was ever earned by this affiliate (an approval from before the ledger existed): nothing to adjust.
        }
    }

    @EventHandler
    void on(ConversionStatusChangedEvent event) {
        if (event.to() == ConversionStatus.APPROVED) {
            commands.sendAndWait(new PostEarningCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
                    event.tenantId(), event.affiliateId(), event.conversionId(), event.offerId(), event.revenue(),
                    event.payout(), termsOf(event.tenantId().value()).holdFor(event.offerId()), event.changedAt()));
        } else if (event.to() == ConversionStatus.REVERSED) {
            try {
                commands.sendAndWait(new PostReversalCommand(AffiliateLedgerId.of(event.tenantId(), event.affiliateId()),
                        event.tenantId(), event.affiliateId(), event.conversionId(), event.changedAt()));
            } catch (AggregateNotFoundException e) {
                // Nothing was ever earned by this affiliate, so there is nothing to claw back.
            }
        }
    }
}
