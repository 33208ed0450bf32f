package io.affnet.sagas.payout;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.PayoutNewsReportedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.RecordPayoutOutcomeCommand;
import org.axonframework.commandhandling.CommandMessage;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.test.matchers.Matchers;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PayoutSagaTest {

    static final TenantId T = TenantId.of("t1");
    static final String PAYOUT = "run1-aff1-EUR";
    static final Money AMOUNT = new Money(1500, "EUR");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    static final PayoutTimings TIMINGS = new PayoutTimings(Duration.ofSeconds(2), Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofHours(6), Duration.ofDays(35), Duration.ofDays(35));
    static final ProcessorPayout PENDING = new ProcessorPayout("tr_1", "grp", ProcessorStatus.PENDING, AMOUNT, "acct_1");
    static final ProcessorPayout PAID = new ProcessorPayout("tr_1", "grp", ProcessorStatus.PAID, AMOUNT, "acct_1");

    private SagaTestFixture<PayoutSaga> fixture;
    private ScriptedProcessor processor;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(PayoutSaga.class);
        processor = new ScriptedProcessor();
        fixture.registerResource(new PayoutProcessors(List.of(processor), (tenant, name) ->
                Optional.of(new ProcessorAccount(name, "http://fake", "sk_test", ""))));
        fixture.registerResource(TIMINGS);
        fixture.registerCommandGateway(CommandGateway.class);
        fixture.setCallbackBehavior((command, metaData) -> null);
    }

    static PayoutReservedEvent reserved() {
        PayoutRunItem item = new PayoutRunItem(PAYOUT, "aff1", "STRIPE", "pm1", "acct_1", "", AMOUNT, AMOUNT, null);
        return new PayoutReservedEvent(T, "aff1", PAYOUT, "run1", item, List.of(), AT);
    }

    /** The ledger commands the saga sent, in order: one outcome per state, for this payout's ledger. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static org.hamcrest.Matcher<List<CommandMessage<?>>> outcomes(PayoutState... states) {
        List<org.hamcrest.Matcher> each = new java.util.ArrayList<>();
        for (PayoutState state : states) {
            each.add(Matchers.messageWithPayload(Matchers.<Object>matches(c -> c instanceof RecordPayoutOutcomeCommand r
                    && r.payoutId().equals(PAYOUT) && r.ledgerId().equals(AffiliateLedgerId.of(T, "aff1"))
                    && r.state() == state)));
        }
        each.add(Matchers.andNoMore());
        return (org.hamcrest.Matcher) Matchers.exactSequenceOf(each.toArray(new org.hamcrest.Matcher[0]));
    }

    @Test
    void asksTheProcessorFirstThenSubmitsWithKeysOfTenantAndPayout() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(PENDING));
        fixture.givenNoPriorActivity()
                .whenPublishingA(reserved())
                .expectActiveSagas(1)
                .expectDispatchedCommandsMatching(outcomes(PayoutState.SENT))
                .expectScheduledDeadlineWithName(Duration.ofSeconds(30), PayoutSaga.POLL)
                .expectScheduledDeadlineWithName(Duration.ofDays(35), PayoutSaga.GIVE_UP);
        assertThat(processor.calls).containsExactly("find", "submit");
        assertThat(processor.instructions).allSatisfy(i -> {
            assertThat(i.tenantId()).isEqualTo("t1");
            assertThat(i.payoutId()).isEqualTo(PAYOUT);
            assertThat(i.amount()).isEqualTo(AMOUNT);
        });
    }

    @Test
    void anAmbiguousAnswerWaitsThenAdoptsWhatTheProcessorHoldsWithoutSendingAgain() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Ambiguous("read timed out"))
                .find(Optional.of(PENDING));
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofSeconds(3))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.SENT))
                .expectActiveSagas(1);
        assertThat(processor.calls).containsExactly("find", "submit", "find");
    }

    @Test
    void retryLaterBacksOffOnAPersistentDeadlineAndResendsOnlyAfterFinding() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.RetryLater(Duration.ofSeconds(20), "429"))
                .find(Optional.empty()).submit(new SubmitOutcome.Accepted(PAID));
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofSeconds(21))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID))
                .expectScheduledDeadlineWithName(Duration.ofDays(35).minusSeconds(1), PayoutSaga.WATCH_ENDS);
        assertThat(processor.calls).containsExactly("find", "submit", "find", "submit");
    }

    @Test
    void aRejectionFailsThePayoutAndEndsTheSaga() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Rejected("balance_insufficient", "Insufficient funds"));
        fixture.givenNoPriorActivity()
                .whenPublishingA(reserved())
                .expectDispatchedCommandsMatching(outcomes(PayoutState.FAILED))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void aPendingPayoutIsPolledUntilPaidThenWatchedUntilTheWatchEnds() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(PENDING)).fetch(PENDING).fetch(PAID);
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofSeconds(31 + 61))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID))
                .expectActiveSagas(1);
        assertThat(processor.calls).containsExactly("find", "submit", "fetch:tr_1", "fetch:tr_1");
    }

    @Test
    void aPaidPayoutKeepsOnlyItsWatchDeadline() {
        // The give-up and poll deadlines are cancelled by the ids the saga kept, not by a scan of every deadline.
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(PENDING)).fetch(PAID);
        Instant ever = Instant.EPOCH;
        Instant never = Instant.parse("3000-01-01T00:00:00Z");
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofSeconds(31))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID))
                .expectScheduledDeadlineWithName(Duration.ofDays(35).minusSeconds(1), PayoutSaga.WATCH_ENDS)
                .expectNoScheduledDeadlineWithName(ever, never, PayoutSaga.GIVE_UP)
                .expectNoScheduledDeadlineWithName(ever, never, PayoutSaga.POLL)
                .expectNoScheduledDeadlineWithName(ever, never, PayoutSaga.RETRY)
                .expectActiveSagas(1);
        assertThat(processor.calls).containsExactly("find", "submit", "fetch:tr_1");
    }

    @Test
    void aReturnAfterPaymentIsRecordedAndEndsTheSaga() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(PAID))
                .fetch(new ProcessorPayout("tr_1", "grp", ProcessorStatus.REVERSED, AMOUNT, "acct_1"));
        fixture.givenAPublished(reserved())
                .whenPublishingA(new PayoutNewsReportedEvent(T, "aff1", PAYOUT, "evt_1", AT))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.REVERSED))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void theWatchEndsTheSagaOfAPaidPayout() {
        processor.find(Optional.of(PAID));
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofDays(36))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
        assertThat(processor.calls).containsExactly("find");
    }

    @Test
    void aBatchIdFromAnEarlierAnswerIsWhatTheNextLookupReads() {
        ProcessorPayout batchOnly = new ProcessorPayout(null, "B1", ProcessorStatus.PENDING, AMOUNT, "aff@example.com");
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(batchOnly))
                .find(Optional.of(new ProcessorPayout("I1", "B1", ProcessorStatus.PAID, AMOUNT, "aff@example.com")));
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofSeconds(31))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID));
        assertThat(processor.calls).containsExactly("find", "submit", "find");
        assertThat(processor.instructions.get(0).knownReference()).as("nothing stored before the first send").isNull();
        assertThat(processor.instructions.get(2).knownReference()).as("the stored batch id (PayPal past 30 days)").isEqualTo("B1");
    }

    @Test
    void givingUpFailsAPayoutTheProcessorNeverHeard() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.RetryLater(Duration.ofDays(40), "429"))
                .find(Optional.empty());
        fixture.givenAPublished(reserved())
                .whenTimeElapses(Duration.ofDays(35).plusSeconds(1))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.FAILED))
                .expectActiveSagas(0);
        assertThat(processor.calls).containsExactly("find", "submit", "find");
    }

    @Test
    void aRedeliveredStartEventDoesNotSendAgain() {
        processor.find(Optional.empty()).submit(new SubmitOutcome.Accepted(PENDING));
        fixture.givenAPublished(reserved())
                .whenPublishingA(reserved())
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
        assertThat(processor.calls).containsExactly("find", "submit");
    }

    @Test
    void aProcessorThatReplaysARepeatedSubmitIsSentTheFirstSubmitWithoutALookupButEveryRetryLooksUp() {
        processor.replayWindow = Duration.ofHours(24);
        processor.submit(new SubmitOutcome.Ambiguous("read timed out")).find(Optional.of(PAID));
        fixture.givenCurrentTime(Instant.now())
                .whenPublishingA(reserved())
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofSeconds(2), PayoutSaga.RETRY);
        fixture.whenTimeElapses(Duration.ofSeconds(3))
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID));
        assertThat(processor.calls).containsExactly("submit", "find");
    }

    @Test
    void aReservationOlderThanHalfTheReplayWindowIsLookedUpBeforeItsFirstSubmit() {
        processor.replayWindow = Duration.ofHours(24);
        processor.find(Optional.of(PAID));
        fixture.givenCurrentTime(Instant.now().minus(Duration.ofHours(13)))
                .whenPublishingA(reserved())
                .expectDispatchedCommandsMatching(outcomes(PayoutState.PAID));
        assertThat(processor.calls).containsExactly("find");
    }

    @Test
    void withoutTheTenantsProcessorAccountNothingIsSentAndTheSagaWaits() {
        SagaTestFixture<PayoutSaga> noAccount = new SagaTestFixture<>(PayoutSaga.class);
        noAccount.registerResource(new PayoutProcessors(List.of(processor), (tenant, name) -> Optional.empty()));
        noAccount.registerResource(TIMINGS);
        noAccount.registerCommandGateway(CommandGateway.class);
        noAccount.givenNoPriorActivity()
                .whenPublishingA(reserved())
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofSeconds(2), PayoutSaga.RETRY)
                .expectActiveSagas(1);
        assertThat(processor.calls).isEmpty();
    }

    @Test
    void timingsBackOffUpToTheirMaximum() {
        assertThat(TIMINGS.retryAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(TIMINGS.retryAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(TIMINGS.retryAfter(30)).isEqualTo(Duration.ofMinutes(10));
    }
}
