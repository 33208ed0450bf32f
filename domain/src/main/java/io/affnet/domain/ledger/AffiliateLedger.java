package io.affnet.domain.ledger;

import io.affnet.api.ledger.EarningAdjustedEvent;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.api.ledger.EarningReversedEvent;
import io.affnet.api.ledger.HoldReleasedEvent;
import io.affnet.api.ledger.PostAdjustmentCommand;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.PayoutNewsReportedEvent;
import io.affnet.api.payout.PayoutRefusedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutStateChangedEvent;
import io.affnet.api.payout.RecordPayoutOutcomeCommand;
import io.affnet.api.payout.ReportPayoutNewsCommand;
import io.affnet.api.payout.ReservePayoutCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An affiliate's sub-ledger: the consistency boundary for its money in every currency. Commands are
 * serialised per aggregate, so two payout reservations can never both spend the same available
 * balance (I3). Earnings schedule a durable deadline at the end of their hold period.
 */
public class AffiliateLedger {

    /** The deadline that moves one conversion's earning from pending to available. */
    public static final String HOLD_ENDS = "ledger-hold-ends";

    @AggregateIdentifier
    private String ledgerId;
    private TenantId tenantId;
    private String affiliateId;
    private final LedgerBook book = new LedgerBook();

    protected AffiliateLedger() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(PostEarningCommand command, DeadlineManager deadlines) {
        book.earn(command.tenantId(), command.affiliateId(), command.conversionId(), command.offerId(),
                command.revenue(), command.payout(), command.hold(), command.at()).ifPresent(event -> {
            apply(event);
            if (event.holdUntil().isAfter(command.at())) {
                deadlines.schedule(event.holdUntil(), HOLD_ENDS, new HoldEnds(event.conversionId(), event.holdUntil()));
            } else {
                releaseHold(new HoldEnds(event.conversionId(), event.holdUntil()));
            }
        });
    }

    /** The payload of {@link #HOLD_ENDS}. */
    public record HoldEnds(String conversionId, Instant holdUntil) {
    }

    @DeadlineHandler(deadlineName = HOLD_ENDS)
    void releaseHold(HoldEnds hold) {
        book.release(tenantId, affiliateId, hold.conversionId(), hold.holdUntil()).ifPresent(e -> apply(e));
    }

    @CommandHandler
    void handle(PostReversalCommand command) {
        book.reverse(tenantId, affiliateId, command.conversionId(), command.at()).ifPresent(e -> apply(e));
    }

    @CommandHandler
    void handle(PostAdjustmentCommand command) {
        book.adjust(tenantId, affiliateId, command.conversionId(), command.adjustmentId(), command.revenue(), command.payout(),
                command.at()).ifPresent(e -> apply(e));
    }

    @CommandHandler
    void handle(ReservePayoutCommand command) {
        book.reserve(tenantId, affiliateId, command.runId(), command.item(), command.negativeBalanceBlocks(), command.at())
                .ifPresent(e -> apply(e));
    }

    @CommandHandler
    void handle(RecordPayoutOutcomeCommand command) {
        book.outcome(tenantId, affiliateId, command.payoutId(), command.state(), command.reference(),
                command.batchReference(), command.reason(), command.at()).ifPresent(e -> apply(e));
    }

    @CommandHandler
    void handle(ReportPayoutNewsCommand command) {
        if (book.payoutState(command.payoutId()).isPresent()) {
            apply(new PayoutNewsReportedEvent(tenantId, affiliateId, command.payoutId(), command.eventId(), command.at()));
        }
    }

    @EventSourcingHandler
    void on(EarningPostedEvent event) {
        if (ledgerId == null) {
            ledgerId = AffiliateLedgerId.of(event.tenantId(), event.affiliateId());
            tenantId = event.tenantId();
            affiliateId = event.affiliateId();
        }
        book.apply(event);
    }

    @EventSourcingHandler
    void on(HoldReleasedEvent event) {
        book.apply(event);
    }

    @EventSourcingHandler
    void on(EarningAdjustedEvent event) {
        book.apply(event);
    }

    @EventSourcingHandler
    void on(EarningReversedEvent event) {
        book.apply(event);
    }

    @EventSourcingHandler
    void on(PayoutReservedEvent event) {
        book.apply(event);
    }

    @EventSourcingHandler
    void on(PayoutRefusedEvent event) {
        book.apply(event);
    }

    @EventSourcingHandler
    void on(PayoutStateChangedEvent event) {
        book.apply(event);
    }
}
