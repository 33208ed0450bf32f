package io.affnet.domain.payout;

import io.affnet.api.common.TenantId;
import io.affnet.api.payout.ApprovePayoutRunCommand;
import io.affnet.api.payout.CancelPayoutRunCommand;
import io.affnet.api.payout.CreatePayoutRunCommand;
import io.affnet.api.payout.FxQuote;
import io.affnet.api.payout.PayoutRunApprovedEvent;
import io.affnet.api.payout.PayoutRunCancelledEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutRunPreviewedEvent;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.ArrayList;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A payout run: previewed, then approved (once) or cancelled. Approval fixes each item's FX conversion. */
public class PayoutRun {

    public enum Status { PREVIEW, APPROVED, CANCELLED }

    @AggregateIdentifier
    private String runId;
    private TenantId tenantId;
    private List<PayoutRunItem> items;
    private boolean negativeBalanceBlocks;
    private Status status;

    protected PayoutRun() {
    }

    @CommandHandler
    public PayoutRun(CreatePayoutRunCommand command) {
        apply(new PayoutRunPreviewedEvent(command.runId(), command.tenantId(), command.periodFrom(), command.periodTo(),
                command.filter(), command.items(), command.negativeBalanceBlocks(), command.createdBy(), command.at()));
    }

    @CommandHandler
    void handle(ApprovePayoutRunCommand command) {
        requireTenant(command.tenantId());
        if (status == Status.APPROVED) {
            return;
        }
        if (status != Status.PREVIEW) {
            throw new PayoutRunStateException("a " + status.name().toLowerCase() + " run cannot be approved");
        }
        List<PayoutRunItem> approved = new ArrayList<>();
        for (PayoutRunItem item : items) {
            if (item.amount().currency().equals(item.paid().currency())) {
                approved.add(item);
            } else {
                FxQuote quote = command.quotes().get(item.payoutId());
                if (quote == null) {
                    throw new PayoutRunStateException("no exchange rate from " + item.amount().currency() + " to "
                            + item.paid().currency());
                }
                approved.add(new PayoutRunItem(item.payoutId(), item.affiliateId(), item.processor(), item.methodId(),
                        item.destination(), item.recipientType(), item.amount(),
                        Fx.convert(item.amount(), quote), quote));
            }
        }
        apply(new PayoutRunApprovedEvent(runId, tenantId, approved, negativeBalanceBlocks, command.approvedBy(), command.at()));
    }

    @CommandHandler
    void handle(CancelPayoutRunCommand command) {
        requireTenant(command.tenantId());
        if (status == Status.CANCELLED) {
            return;
        }
        if (status != Status.PREVIEW) {
            throw new PayoutRunStateException("an approved run cannot be cancelled");
        }
        apply(new PayoutRunCancelledEvent(runId, tenantId, command.cancelledBy(), command.at()));
    }

    private void requireTenant(TenantId caller) {
        if (!tenantId.equals(caller)) {
            throw new PayoutRunStateException("unknown run");
        }
    }

    @EventSourcingHandler
    void on(PayoutRunPreviewedEvent event) {
        runId = event.runId();
        tenantId = event.tenantId();
        items = event.items();
        negativeBalanceBlocks = event.negativeBalanceBlocks();
        status = Status.PREVIEW;
    }

    @EventSourcingHandler
    void on(PayoutRunApprovedEvent event) {
        items = event.items();
        status = Status.APPROVED;
    }

    @EventSourcingHandler
    void on(PayoutRunCancelledEvent event) {
        status = Status.CANCELLED;
    }
}
