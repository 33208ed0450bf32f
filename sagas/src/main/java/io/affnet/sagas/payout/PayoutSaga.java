package io.affnet.sagas.payout;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.affnet.api.common.Money;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.PayoutNewsReportedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.RecordPayoutOutcomeCommand;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutProcessor;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One payout, from its reservation in the ledger to a final answer of its processor. Everything it
 * needs is a handler parameter (the processors, the command gateway, the deadline manager, the
 * timings); its own state is small and persisted in the saga store after every step.
 *
 * <p>Rules: before every submit the saga asks the processor whether the payout already exists
 * ({@code find}) and adopts it, so a re-send after a crash, an ambiguous answer or an expired
 * idempotency window cannot pay twice; an ambiguous answer or "retry later" waits on a persistent
 * deadline; a pending payout is polled on a persistent deadline with backoff; {@link #GIVE_UP} guards
 * the whole wait; final states are recorded in the ledger as commands (the ledger ignores repeats and
 * stale news); after payment the saga listens for {@link #WATCH_ENDS} for a return or reversal, then
 * ends. It ends on every path.
 */
@Saga
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PayoutSaga {

    /** The association key: every event about a payout names it. */
    public static final String PAYOUT_ID = "payoutId";
    /** Try again after an ambiguous answer, a "retry later" or a failed reconciliation call. */
    public static final String RETRY = "payout-retry";
    /** Ask the processor again about a payout it holds but has not settled. */
    public static final String POLL = "payout-poll";
    /** The longest the saga waits for a final answer. */
    public static final String GIVE_UP = "payout-give-up";
    /** The end of the period after payment in which a return or reversal is still heard. */
    public static final String WATCH_ENDS = "payout-watch-ends";

    /**
     * The payload of every deadline of this saga. Axon takes a deadline handler's first parameter as
     * its payload, so each handler names this type first and its resources after it.
     */
    public record Wait(String payoutId) {
    }

    private static final Logger log = LoggerFactory.getLogger(PayoutSaga.class);

    private String tenantId;
    private String affiliateId;
    private String ledgerId;
    private String payoutId;
    private String processor;
    private String destination;
    private String recipientType;
    private Money amount;
    private PayoutState state;
    private String reference;
    private String batchReference;
    private int attempts;
    private int polls;
    private boolean ended;
    /**
     * The ids of this saga's waiting deadlines (null: none), so that each is cancelled by its id: Axon's
     * {@code cancelAllWithinScope} reads every deadline waiting in the store, of every payout, so with it
     * paying N payouts cost O(N²) (docs/payouts.md, Bench). A saga stored before these ids existed has
     * {@code deadlineIds} false and still cancels by scope.
     */
    private boolean deadlineIds;
    private String retryDeadline;
    private String pollDeadline;
    private String giveUpDeadline;
    private String watchDeadline;

    @StartSaga
    @SagaEventHandler(associationProperty = PAYOUT_ID)
    void on(PayoutReservedEvent event, @Timestamp Instant reservedAt, PayoutProcessors processors, CommandGateway commands,
            DeadlineManager deadlines, PayoutTimings timings) {
        if (state != null) {
            return; // a redelivery of the start event to the saga it started
        }
        tenantId = event.tenantId().value();
        affiliateId = event.affiliateId();
        ledgerId = AffiliateLedgerId.of(event.tenantId(), event.affiliateId());
        payoutId = event.payoutId();
        processor = event.item().processor();
        destination = event.item().destination();
        recipientType = event.item().recipientType();
        amount = event.item().paid();
        state = PayoutState.RESERVED;
        deadlineIds = true;
        attempt(processors, commands, deadlines, timings, reservedAt);
        // The give-up guards the wait, so it is scheduled only when there is one: a payout paid, failed or ended by its
        // first attempt needs none (scheduling and cancelling it was an insert and a delete per payout). Scheduled in the
        // same unit of work as before (the saga's state, its ledger commands and its deadlines commit together).
        if (!ended && state != PayoutState.PAID) {
            giveUpDeadline = deadlines.schedule(timings.giveUp(), GIVE_UP, new Wait(payoutId));
        }
    }

    @SagaEventHandler(associationProperty = PAYOUT_ID)
    void on(PayoutNewsReportedEvent event, PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines,
            PayoutTimings timings) {
        refresh(processors, commands, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = RETRY)
    void retry(Wait wait, PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines, PayoutTimings timings) {
        retryDeadline = null; // this one, running now
        if (state == PayoutState.RESERVED) {
            attempt(processors, commands, deadlines, timings, null);
        }
    }

    @DeadlineHandler(deadlineName = POLL)
    void poll(Wait wait, PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines, PayoutTimings timings) {
        pollDeadline = null; // this one, running now
        refresh(processors, commands, deadlines, timings);
    }

    @DeadlineHandler(deadlineName = GIVE_UP)
    void giveUp(Wait wait, PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines, PayoutTimings timings) {
        giveUpDeadline = null; // this one, running now
        Optional<ProcessorPayout> held = Optional.empty();
        Optional<PayoutProcessor> p = processors.processor(processor);
        Optional<ProcessorAccount> account = processors.account(tenantId, processor);
        if (p.isPresent() && account.isPresent()) {
            try {
                held = p.get().find(instruction(account.get()));
            } catch (RuntimeException e) {
                log.warn("Payout {}: the processor could not be asked before giving up ({}); it stays {}", payoutId,
                        e.getClass().getSimpleName(), state);
                finish(deadlines);
                return;
            }
        }
        if (held.isPresent()) {
            adopt(held.get(), commands, deadlines, timings);
            if (ended || state == PayoutState.PAID) {
                return;
            }
            // Still not settled after the longest wait: left as it is for a person to look at.
            log.warn("Payout {} is still {} at {} after {}; the saga stops waiting", payoutId, state, processor,
                    timings.giveUp());
            finish(deadlines);
        } else {
            record(PayoutState.FAILED, "no answer from " + processor + " within " + timings.giveUp(), commands);
            finish(deadlines);
        }
    }

    @DeadlineHandler(deadlineName = WATCH_ENDS)
    void watchEnds(Wait wait, DeadlineManager deadlines) {
        watchDeadline = null; // this one, running now
        finish(deadlines);
    }

    /**
     * Finds, then submits if the processor holds nothing. {@code reservedAt} (the start event's time stamp, null on a
     * retry) lets the first attempt skip the lookup when the processor replays a repeated submit
     * ({@link PayoutProcessor#replayWindow()}) and the payout was reserved less than half that window ago: no earlier
     * submit of it can be older than its reservation, so a start event delivered again after a crash re-sends a
     * request the processor answers from its saved first answer (Stripe: the same transfer), never paying twice.
     * Every retry finds first.
     */
    private void attempt(PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines,
                         PayoutTimings timings, Instant reservedAt) {
        attempts++;
        Optional<PayoutProcessor> p = processors.processor(processor);
        Optional<ProcessorAccount> account = processors.account(tenantId, processor);
        if (p.isEmpty() || account.isEmpty()) {
            // Nothing was sent: wait (the tenant may connect its account; give-up bounds the wait).
            log.warn("Payout {}: {}; retrying later", payoutId, p.isEmpty() ? "no " + processor + " adapter on this node"
                    : "the tenant has no " + processor + " account connected");
            retryDeadline = deadlines.schedule(timings.retryAfter(attempts), RETRY, new Wait(payoutId));
            return;
        }
        PayoutInstruction instruction = instruction(account.get());
        Optional<ProcessorPayout> existing;
        try {
            existing = submitIsItsOwnLookup(p.get(), reservedAt) ? Optional.empty() : p.get().find(instruction);
        } catch (RuntimeException e) {
            retryDeadline = deadlines.schedule(timings.retryAfter(attempts), RETRY, new Wait(payoutId));
            return;
        }
        if (existing.isPresent()) {
            adopt(existing.get(), commands, deadlines, timings);
            return;
        }
        SubmitOutcome outcome;
        try {
            outcome = p.get().submit(instruction);
        } catch (RuntimeException e) {
            outcome = new SubmitOutcome.Ambiguous(e.getClass().getSimpleName());
        }
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
            adopt(accepted.payout(), commands, deadlines, timings);
        } else if (outcome instanceof SubmitOutcome.Rejected rejected) {
            record(PayoutState.FAILED, rejected.code() + ": " + rejected.message(), commands);
            finish(deadlines);
        } else if (outcome instanceof SubmitOutcome.RetryLater later) {
            Duration after = later.after() == null || later.after().isNegative() ? timings.retryAfter(attempts) : later.after();
            retryDeadline = deadlines.schedule(after, RETRY, new Wait(payoutId));
        } else {
            retryDeadline = deadlines.schedule(timings.retryAfter(attempts), RETRY, new Wait(payoutId));
        }
    }

    private boolean submitIsItsOwnLookup(PayoutProcessor p, Instant reservedAt) {
        if (reservedAt == null || attempts != 1 || reference != null || batchReference != null) {
            return false;
        }
        Duration window = p.replayWindow();
        if (window == null || window.isZero() || window.isNegative()) {
            return false;
        }
        Duration age = Duration.between(reservedAt, Instant.now());
        return !age.isNegative() && age.compareTo(window.dividedBy(2)) < 0;
    }

    /** Re-reads the payout at its processor (never trusting a webhook's body) and adopts what it says. */
    private void refresh(PayoutProcessors processors, CommandGateway commands, DeadlineManager deadlines,
                         PayoutTimings timings) {
        if (state == PayoutState.RESERVED && reference == null) {
            return; // the submit path (attempt and its retries) owns this phase
        }
        Optional<PayoutProcessor> p = processors.processor(processor);
        Optional<ProcessorAccount> account = processors.account(tenantId, processor);
        if (p.isEmpty() || account.isEmpty()) {
            schedulePoll(deadlines, timings);
            return;
        }
        try {
            PayoutInstruction instruction = instruction(account.get());
            Optional<ProcessorPayout> current = reference != null
                    ? Optional.of(p.get().fetch(instruction, reference)) : p.get().find(instruction);
            if (current.isPresent()) {
                adopt(current.get(), commands, deadlines, timings);
            } else if (state != PayoutState.PAID) {
                schedulePoll(deadlines, timings);
            }
        } catch (RuntimeException e) {
            if (state != PayoutState.PAID) {
                schedulePoll(deadlines, timings);
            }
        }
    }

    private void adopt(ProcessorPayout payout, CommandGateway commands, DeadlineManager deadlines, PayoutTimings timings) {
        if (payout.reference() != null) {
            reference = payout.reference();
        }
        if (payout.batchReference() != null) {
            batchReference = payout.batchReference();
        }
        if (payout.amount() != null && !payout.amount().equals(amount)) {
            log.error("Payout {}: {} holds {} where the ledger reserved {}", payoutId, processor, payout.amount(), amount);
        }
        PayoutState next = of(payout.status());
        if (next == PayoutState.SENT) {
            if (state == PayoutState.RESERVED) {
                record(PayoutState.SENT, null, commands);
            }
            schedulePoll(deadlines, timings);
        } else if (next == PayoutState.PAID) {
            if (state != PayoutState.PAID) {
                record(PayoutState.PAID, null, commands);
                cancel(deadlines, POLL);
                cancel(deadlines, RETRY);
                cancel(deadlines, GIVE_UP);
                if (timings.watch().isZero() || timings.watch().isNegative()) {
                    ended = true;
                    SagaLifecycle.end();
                } else {
                    watchDeadline = deadlines.schedule(timings.watch(), WATCH_ENDS, new Wait(payoutId));
                }
            }
        } else {
            record(next, payout.status() == ProcessorStatus.FAILED ? processor + " reports the payout failed" : null, commands);
            finish(deadlines);
        }
    }

    private void record(PayoutState to, String reason, CommandGateway commands) {
        if (!state.canMoveTo(to)) {
            return;
        }
        commands.sendAndWait(new RecordPayoutOutcomeCommand(ledgerId, payoutId, to, reference, batchReference, reason,
                Instant.now()));
        state = to;
    }

    private void schedulePoll(DeadlineManager deadlines, PayoutTimings timings) {
        cancel(deadlines, POLL);
        pollDeadline = deadlines.schedule(timings.pollAfter(++polls), POLL, new Wait(payoutId));
    }

    private void finish(DeadlineManager deadlines) {
        for (String name : new String[]{RETRY, POLL, GIVE_UP, WATCH_ENDS}) {
            cancel(deadlines, name);
        }
        ended = true;
        SagaLifecycle.end();
    }

    /** Cancels this saga's deadline of that name: by its id, or by scope for a saga stored before the ids were. */
    private void cancel(DeadlineManager deadlines, String name) {
        if (!deadlineIds) {
            deadlines.cancelAllWithinScope(name);
            return;
        }
        String id = switch (name) {
            case RETRY -> retryDeadline;
            case POLL -> pollDeadline;
            case GIVE_UP -> giveUpDeadline;
            case WATCH_ENDS -> watchDeadline;
            default -> throw new IllegalArgumentException(name);
        };
        if (id != null) {
            deadlines.cancelSchedule(name, id);
        }
        switch (name) {
            case RETRY -> retryDeadline = null;
            case POLL -> pollDeadline = null;
            case GIVE_UP -> giveUpDeadline = null;
            default -> watchDeadline = null;
        }
    }

    private PayoutInstruction instruction(ProcessorAccount account) {
        return new PayoutInstruction(tenantId, payoutId, amount, destination, recipientType, account,
                batchReference != null ? batchReference : reference);
    }

    static PayoutState of(ProcessorStatus status) {
        return switch (status) {
            case PENDING -> PayoutState.SENT;
            case PAID -> PayoutState.PAID;
            case FAILED -> PayoutState.FAILED;
            case RETURNED -> PayoutState.RETURNED;
            case REVERSED -> PayoutState.REVERSED;
        };
    }
}
