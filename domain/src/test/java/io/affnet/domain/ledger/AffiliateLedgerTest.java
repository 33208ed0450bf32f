package io.affnet.domain.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.api.ledger.HoldReleasedEvent;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.ledger.Posting;
import io.affnet.api.payout.PayoutRefusedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.ReservePayoutCommand;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.affnet.api.ledger.LedgerAccount.ADVERTISER_RECEIVABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_AVAILABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PENDING;
import static io.affnet.api.ledger.LedgerAccount.NETWORK_MARGIN;
import static org.assertj.core.api.Assertions.assertThat;

class AffiliateLedgerTest {

    static final TenantId T = TenantId.of("t1");
    static final String LEDGER = AffiliateLedgerId.of(T, "aff1");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private AggregateTestFixture<AffiliateLedger> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(AffiliateLedger.class);
    }

    private static EarningPostedEvent earned(String conversion, long revenue, long payout, Duration hold) {
        return new EarningPostedEvent(T, "aff1", conversion, "off1", new Money(revenue, "EUR"), new Money(payout, "EUR"),
                AT.plus(hold), new JournalEntry("earn:" + conversion, "EUR", List.of(
                Posting.debit(ADVERTISER_RECEIVABLE, revenue), Posting.credit(AFFILIATE_PENDING, payout),
                Posting.credit(NETWORK_MARGIN, revenue - payout))), AT);
    }

    @Test
    void anEarningIsPendingAndSchedulesTheEndOfItsHold() {
        fixture.givenNoPriorActivity()
                .when(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"), new Money(200, "EUR"),
                        Duration.ofDays(30), AT))
                .expectEvents(earned("cv1", 300, 200, Duration.ofDays(30)))
                .expectScheduledDeadlineWithName(AT.plus(Duration.ofDays(30)), AffiliateLedger.HOLDS_END);
    }

    @Test
    void theSameConversionEarnsOnce() {
        fixture.given(earned("cv1", 300, 200, Duration.ofDays(30)))
                .when(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"), new Money(200, "EUR"),
                        Duration.ofDays(30), AT))
                .expectNoEvents();
    }

    @Test
    void theHoldEndsByItsDeadlineAndMovesPendingToAvailable() {
        fixture.givenCommands(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"),
                        new Money(200, "EUR"), Duration.ofDays(30), AT))
                .whenTimeElapses(Duration.ofDays(31))
                .expectDeadlinesMet(new AffiliateLedger.HoldsEnd(LEDGER, AT.plus(Duration.ofDays(30))))
                .expectEvents(new HoldReleasedEvent(T, "aff1", "cv1", new JournalEntry("release:cv1", "EUR", List.of(
                        Posting.debit(AFFILIATE_PENDING, 200), Posting.credit(AFFILIATE_AVAILABLE, 200))),
                        AT.plus(Duration.ofDays(30))));
    }

    private static PostEarningCommand earning(String conversion, Duration hold, Instant at) {
        return new PostEarningCommand(LEDGER, T, "aff1", conversion, "off1", new Money(300, "EUR"), new Money(200, "EUR"),
                hold, at);
    }

    private static HoldReleasedEvent released(String conversion, Instant at) {
        return new HoldReleasedEvent(T, "aff1", conversion, new JournalEntry("release:" + conversion, "EUR", List.of(
                Posting.debit(AFFILIATE_PENDING, 200), Posting.credit(AFFILIATE_AVAILABLE, 200))), at);
    }

    @Test
    void anEarningWhoseHoldEndsAfterAnotherInHoldSchedulesNothing() {
        fixture.givenCurrentTime(AT)
                .andGivenCommands(earning("cv1", Duration.ofDays(30), AT))
                .when(earning("cv2", Duration.ofDays(30), AT.plusSeconds(60)))
                .expectSuccessfulHandlerExecution()
                .expectScheduledDeadlineWithName(AT.plus(Duration.ofDays(30)), AffiliateLedger.HOLDS_END)
                .expectNoScheduledDeadlineWithName(AT.plus(Duration.ofDays(30)).plusSeconds(60), AffiliateLedger.HOLDS_END);
    }

    @Test
    void anEarningWhoseHoldEndsBeforeAllInHoldSchedulesItsEnd() {
        fixture.givenCurrentTime(AT)
                .andGivenCommands(earning("cv1", Duration.ofDays(30), AT))
                .when(earning("cv2", Duration.ofDays(7), AT.plusSeconds(60)))
                .expectScheduledDeadlineWithName(AT.plus(Duration.ofDays(7)).plusSeconds(60), AffiliateLedger.HOLDS_END)
                .expectScheduledDeadlineWithName(AT.plus(Duration.ofDays(30)), AffiliateLedger.HOLDS_END);
    }

    /** The chain releases what has ended by Axon's clock too (a late deadline): here the fixture's time. */
    private static void axonClockAt(Instant now) {
        GenericEventMessage.clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    @AfterEach
    void systemClock() {
        GenericEventMessage.clock = Clock.systemUTC();
    }

    @Test
    void oneDeadlineReleasesEveryHoldEndedByThenEachAtItsOwnEndAndSchedulesTheNext() {
        Instant end1 = AT.plus(Duration.ofDays(30));
        axonClockAt(AT.plus(Duration.ofDays(31)));
        fixture.givenCurrentTime(AT)
                .andGivenCommands(earning("cv1", Duration.ofDays(30), AT),
                        earning("cv2", Duration.ofDays(30), AT.plusSeconds(60)),
                        earning("cv3", Duration.ofDays(30), AT.plus(Duration.ofDays(2))),
                        new PostReversalCommand(LEDGER, T, "aff1", "cv2", AT.plusSeconds(120)),
                        earning("cv4", Duration.ofDays(30), AT.plusSeconds(90)))
                .whenTimeElapses(Duration.ofDays(31))
                .expectDeadlinesMet(new AffiliateLedger.HoldsEnd(LEDGER, end1))
                .expectEvents(released("cv1", end1), released("cv4", end1.plusSeconds(90)))
                .expectScheduledDeadlineWithName(AT.plus(Duration.ofDays(32)), AffiliateLedger.HOLDS_END);
    }

    @Test
    void theChainGoesOnUntilEveryHoldHasEnded() {
        axonClockAt(AT.plus(Duration.ofDays(30)).plusSeconds(5));
        fixture.givenCurrentTime(AT)
                .andGivenCommands(earning("cv1", Duration.ofDays(30), AT),
                        earning("cv2", Duration.ofDays(30), AT.plus(Duration.ofDays(2))))
                .whenTimeElapses(Duration.ofDays(33))
                .expectDeadlinesMet(new AffiliateLedger.HoldsEnd(LEDGER, AT.plus(Duration.ofDays(30))),
                        new AffiliateLedger.HoldsEnd(LEDGER, AT.plus(Duration.ofDays(32))))
                .expectEvents(released("cv1", AT.plus(Duration.ofDays(30))), released("cv2", AT.plus(Duration.ofDays(32))))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aZeroHoldIsReleasedAtOnceAndSchedulesNothing() {
        fixture.givenCurrentTime(AT)
                .andGivenCommands(earning("cv1", Duration.ofDays(30), AT))
                .when(earning("cv2", Duration.ZERO, AT.plusSeconds(60)))
                .expectEvents(new EarningPostedEvent(T, "aff1", "cv2", "off1", new Money(300, "EUR"), new Money(200, "EUR"),
                                AT.plusSeconds(60), new JournalEntry("earn:cv2", "EUR", List.of(
                                Posting.debit(ADVERTISER_RECEIVABLE, 300), Posting.credit(AFFILIATE_PENDING, 200),
                                Posting.credit(NETWORK_MARGIN, 100))), AT.plusSeconds(60)),
                        released("cv2", AT.plusSeconds(60)))
                .expectNoScheduledDeadlineWithName(AT.plusSeconds(60), AffiliateLedger.HOLDS_END);
    }

    @Test
    void aReversalInHoldCancelsTheRelease() {
        fixture.givenCommands(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"),
                                new Money(200, "EUR"), Duration.ofDays(30), AT),
                        new PostReversalCommand(LEDGER, T, "aff1", "cv1", AT.plusSeconds(60)))
                .whenTimeElapses(Duration.ofDays(31))
                .expectNoEvents();
    }

    @Test
    void aPayoutAboveTheAvailableBalanceIsRefused() {
        PayoutRunItem item = new PayoutRunItem("po1", "aff1", "STRIPE", "pm1", "acct_1", "", new Money(500, "EUR"),
                new Money(500, "EUR"), null);
        fixture.givenCommands(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"),
                        new Money(200, "EUR"), Duration.ZERO, AT))
                .when(new ReservePayoutCommand(LEDGER, T, "run1", item, true, AT))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(PayoutRefusedEvent.class)),
                        org.axonframework.test.matchers.Matchers.andNoMore()));
    }

    @Test
    void aPayoutWithinTheAvailableBalanceIsReserved() {
        PayoutRunItem item = new PayoutRunItem("po1", "aff1", "STRIPE", "pm1", "acct_1", "", new Money(200, "EUR"),
                new Money(200, "EUR"), null);
        fixture.givenCommands(new PostEarningCommand(LEDGER, T, "aff1", "cv1", "off1", new Money(300, "EUR"),
                        new Money(200, "EUR"), Duration.ZERO, AT))
                .when(new ReservePayoutCommand(LEDGER, T, "run1", item, true, AT))
                .expectEventsMatching(org.axonframework.test.matchers.Matchers.exactSequenceOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(PayoutReservedEvent.class)),
                        org.axonframework.test.matchers.Matchers.andNoMore()));
    }

    @Test
    void aReservedPayoutEventCarriesBalancedEntries() {
        LedgerBook book = new LedgerBook();
        book.earn(T, "aff1", "cv1", "off1", new Money(300, "EUR"), new Money(200, "EUR"), Duration.ZERO, AT).ifPresent(book::apply);
        book.release(T, "aff1", "cv1", AT).ifPresent(book::apply);
        PayoutRunItem item = new PayoutRunItem("po1", "aff1", "STRIPE", "pm1", "acct_1", "", new Money(200, "EUR"),
                new Money(216, "USD"), null);
        Object event = book.reserve(T, "aff1", "run1", item, true, AT).orElseThrow();
        assertThat(event).isInstanceOf(PayoutReservedEvent.class);
        List<JournalEntry> entries = ((PayoutReservedEvent) event).entries();
        assertThat(entries).extracting(JournalEntry::currency).containsExactly("EUR", "USD");
        book.apply(event);
        assertThat(book.available("EUR")).isZero();
        assertThat(book.balance("USD", io.affnet.api.ledger.LedgerAccount.AFFILIATE_IN_PAYOUT, "STRIPE")).isEqualTo(216);
    }
}
