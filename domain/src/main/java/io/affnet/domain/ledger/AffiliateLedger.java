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
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Instant;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An affiliate's sub-ledger: the consistency boundary for its money in every currency. Commands are
 * serialised per aggregate, so two payout reservations can never both spend the same available
 * balance (I3).
 * <p>
 * Holds end by durable deadlines, one chain per ledger rather than one deadline per earning
 * ({@link #HOLDS_END}). The rule: whenever an earning is in hold, a deadline is waiting at or before the
 * earliest end of a hold. An earning whose hold ends no earlier than another earning's in hold needs no
 * deadline of its own (the earlier one's comes first); one that ends before all of them schedules one at its
 * end. A firing deadline releases every earning whose hold has ended by its moment, each posted at the end of
 * its own hold, and schedules the next at the earliest end still ahead. Deadlines are stored under a key of
 * ledger and moment ({@link KeyedDeadline}), so two chains that aim at the same moment become one. Earnings
 * posted before the chain kept their own {@link #HOLD_ENDS} deadline, which now takes the same step.
 */
public class AffiliateLedger {

    /** The deadline that moved one conversion's earning from pending to available (earnings before the chain). */
    public static final String HOLD_ENDS = "ledger-hold-ends";

    /** The ledger's hold chain: releases every earning whose hold has ended by {@code at}, then schedules the next. */
    public static final String HOLDS_END = "ledger-holds-end";

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
            Optional<Instant> earliest = book.earliestHoldEnd();
            apply(event);
            if (!event.holdUntil().isAfter(command.at())) {
                book.release(tenantId, affiliateId, event.conversionId(), event.holdUntil()).ifPresent(e -> apply(e));
            } else if (earliest.isEmpty() || earliest.get().isAfter(event.holdUntil())) {
                scheduleHoldsEnd(deadlines, event.holdUntil());
            }
        });
    }

    /** The payload of {@link #HOLD_ENDS} (earnings posted before the hold chain). */
    public record HoldEnds(String conversionId, Instant holdUntil) {
    }

    /** The payload of {@link #HOLDS_END}: the ledger and the moment; one waiting deadline per both. */
    public record HoldsEnd(String ledgerId, Instant at) implements KeyedDeadline {
        @Override
        public String deadlineKey() {
            return HOLDS_END + ":" + ledgerId + ":" + at;
        }
    }

    private void scheduleHoldsEnd(DeadlineManager deadlines, Instant at) {
        deadlines.schedule(at, HOLDS_END, new HoldsEnd(ledgerId, at));
    }

    @DeadlineHandler(deadlineName = HOLDS_END)
    void holdsEnd(HoldsEnd due, DeadlineManager deadlines) {
        releaseDue(due.at(), deadlines);
    }

    /**
     * An earning's own deadline from before the chain: its release and every other one due by then, and the chain
     * from there on (an earning posted since may count on this deadline as the earliest one waiting).
     */
    @DeadlineHandler(deadlineName = HOLD_ENDS)
    void releaseHold(HoldEnds hold, DeadlineManager deadlines) {
        releaseDue(hold.holdUntil(), deadlines);
    }

    /**
     * Releases what has ended by the deadline's moment or by now (Axon's clock), whichever is later: a deadline that
     * fires late, as db-scheduler's polling makes it, releases together the holds that ended meanwhile.
     */
    private void releaseDue(Instant at, DeadlineManager deadlines) {
        Instant now = GenericEventMessage.clock.instant();
        Instant by = now.isAfter(at) ? now : at;
        for (HoldReleasedEvent release : book.releasesDueBy(tenantId, affiliateId, by)) {
            apply(release);
        }
        book.earliestHoldEnd().ifPresent(next -> scheduleHoldsEnd(deadlines, next));
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
