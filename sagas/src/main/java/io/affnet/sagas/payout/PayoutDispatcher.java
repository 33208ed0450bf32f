package io.affnet.sagas.payout;

import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.PayoutRunApprovedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.ReservePayoutCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an approved run into payouts: one reservation per item in the affiliate's ledger, which either
 * reserves (and so starts the item's {@link PayoutSaga}) or refuses. A crash part-way through resumes
 * from this processor's token; items already reserved are ignored by the ledger.
 */
@Component
@DisallowReplay
@ProcessingGroup(PayoutDispatcher.GROUP)
public class PayoutDispatcher {

    public static final String GROUP = "payout-dispatch";
    private static final Logger log = LoggerFactory.getLogger(PayoutDispatcher.class);

    private final CommandGateway commands;

    public PayoutDispatcher(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(PayoutRunApprovedEvent event) {
        for (PayoutRunItem item : event.items()) {
            try {
                commands.sendAndWait(new ReservePayoutCommand(AffiliateLedgerId.of(event.tenantId(), item.affiliateId()),
                        event.tenantId(), event.runId(), item, event.negativeBalanceBlocks(), event.at()));
            } catch (AggregateNotFoundException e) {
                log.warn("Run {}: affiliate {} has no ledger; its payout {} is skipped", event.runId(), item.affiliateId(),
                        item.payoutId());
            }
        }
    }
}
