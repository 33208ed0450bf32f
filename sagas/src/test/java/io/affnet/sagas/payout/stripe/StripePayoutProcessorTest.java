package io.affnet.sagas.payout.stripe;

import io.affnet.api.common.Money;
import io.affnet.fakes.Faults;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Stripe adapter (stripe-java) against the local Stripe fake. */
class StripePayoutProcessorTest {

    static final String KEY = "sk_test_adapter";

    FakeStripe stripe = new FakeStripe(KEY, Faults.seeded(7, 0, 0, Duration.ofMillis(3000)))
            .connectedAccount("acct_1Aff").balance("usd", 1_000_000).balance("jpy", 1_000_000);
    ProcessorAccount account = new ProcessorAccount(ProcessorName.STRIPE, stripe.baseUrl(), KEY, "");
    StripePayoutProcessor noRetries = processor(0);

    @AfterEach
    void close() {
        stripe.close();
    }

    /** Generous timeouts: the shared build machine can be very slow, and only the "late answer" fault should time out. */
    StripePayoutProcessor processor(int retries) {
        return new StripePayoutProcessor(new StripePayoutProcessor.Settings(Duration.ofSeconds(10), Duration.ofSeconds(30), retries));
    }

    /** A read timeout below the fake's 3 s late answer. */
    StripePayoutProcessor impatient() {
        return new StripePayoutProcessor(new StripePayoutProcessor.Settings(Duration.ofSeconds(10), Duration.ofSeconds(1), 0));
    }

    PayoutInstruction payout(String id, long minor, String currency) {
        return new PayoutInstruction("tenant-a", id, new Money(minor, currency), "acct_1Aff", null, account);
    }

    @Test
    void submitsATransferWithKeysFromTenantAndPayout() {
        SubmitOutcome out = noRetries.submit(payout("po_1", 1250, "USD"));
        assertThat(out).isInstanceOf(SubmitOutcome.Accepted.class);
        ProcessorPayout p = ((SubmitOutcome.Accepted) out).payout();
        assertThat(p.status()).isEqualTo(ProcessorStatus.PAID);
        assertThat(p.amount()).isEqualTo(new Money(1250, "USD"));
        assertThat(p.batchReference()).isEqualTo(PayoutKeys.stripeTransferGroup("tenant-a", "po_1"));
        FakeStripe.Transfer t = stripe.transfers().get(0);
        assertThat(t.idempotencyKey()).isEqualTo(PayoutKeys.stripeIdempotencyKey("tenant-a", "po_1"));
        assertThat(t.destination()).isEqualTo("acct_1Aff");
        assertThat(t.amount()).isEqualTo(1250);
    }

    @Test
    void anAmbiguousCommitIsAdoptedByFindAndNothingIsPaidTwice() {
        for (Faults.Draw fault : new Faults.Draw[]{Faults.Draw.COMMIT_THEN_DROP, Faults.Draw.COMMIT_THEN_500, Faults.Draw.COMMIT_THEN_SLOW}) {
            String id = "po_" + fault;
            stripe.force(fault);
            SubmitOutcome out = impatient().submit(payout(id, 500, "USD"));
            // After a dropped connection the JDK's HttpURLConnection (under stripe-java) may resend the POST by
            // itself (sun.net.http.retryPost); with the same Idempotency-Key that is a replay, so Accepted is fine too.
            assertThat(out).as("%s", fault).isInstanceOfAny(SubmitOutcome.Ambiguous.class, SubmitOutcome.Accepted.class);
            if (fault != Faults.Draw.COMMIT_THEN_DROP) {
                assertThat(out).as("%s", fault).isInstanceOf(SubmitOutcome.Ambiguous.class);
            }
            Optional<ProcessorPayout> found = noRetries.find(payout(id, 500, "USD"));
            assertThat(found).as("%s", fault).isPresent();
            assertThat(found.get().amount()).isEqualTo(new Money(500, "USD"));
            assertThat(stripe.transfersInGroup(PayoutKeys.stripeTransferGroup("tenant-a", id))).as("%s", fault).hasSize(1);
        }
        assertThat(stripe.transfers()).hasSize(3);
    }

    @Test
    void stripeJavasOwnRetryReplaysTheSavedAnswerAfterADroppedConnection() {
        stripe.force(Faults.Draw.COMMIT_THEN_DROP);
        SubmitOutcome out = processor(2).submit(payout("po_1", 700, "USD"));
        assertThat(out).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(stripe.transfers()).hasSize(1);
        assertThat(stripe.createAttempts(PayoutKeys.stripeIdempotencyKey("tenant-a", "po_1"))).isEqualTo(2);
    }

    @Test
    void findIsEmptyWhenStripeHasNoTransferSoASubmitIsSafe() {
        assertThat(noRetries.find(payout("po_never", 100, "USD"))).isEmpty();
        stripe.pruneIdempotencyKeys();
        noRetries.submit(payout("po_1", 100, "USD"));
        stripe.pruneIdempotencyKeys();
        assertThat(noRetries.find(payout("po_1", 100, "USD"))).isPresent();
    }

    @Test
    void aReusedKeyWithOtherParametersIsRejectedAndPaysNothingMore() {
        noRetries.submit(payout("po_1", 100, "USD"));
        SubmitOutcome out = noRetries.submit(payout("po_1", 101, "USD"));
        assertThat(out).isInstanceOf(SubmitOutcome.Rejected.class);
        assertThat(((SubmitOutcome.Rejected) out).code()).isEqualTo("idempotency_error");
        assertThat(stripe.transfers()).hasSize(1);
    }

    @Test
    void rateLimitsWithOrWithoutShouldRetryAndConflictsAreRetryLater() {
        stripe.force(Faults.Draw.RATE_LIMITED);
        assertThat(noRetries.submit(payout("po_1", 100, "USD"))).isInstanceOf(SubmitOutcome.RetryLater.class);
        stripe.force(Faults.Draw.RATE_LIMITED_SHOULD_RETRY);
        assertThat(noRetries.submit(payout("po_1", 100, "USD"))).isInstanceOf(SubmitOutcome.RetryLater.class);
        stripe.force(Faults.Draw.CONFLICT);
        assertThat(noRetries.submit(payout("po_1", 100, "USD"))).isInstanceOf(SubmitOutcome.RetryLater.class);
        assertThat(stripe.transfers()).isEmpty();
        assertThat(noRetries.submit(payout("po_1", 100, "USD"))).isInstanceOf(SubmitOutcome.Accepted.class);
    }

    @Test
    void insufficientPlatformBalanceAndAnUnknownDestinationAreRejected() {
        SubmitOutcome poor = noRetries.submit(payout("po_1", 2_000_000, "USD"));
        assertThat(poor).isInstanceOf(SubmitOutcome.Rejected.class);
        assertThat(((SubmitOutcome.Rejected) poor).code()).isEqualTo("balance_insufficient");
        SubmitOutcome nowhere = noRetries.submit(new PayoutInstruction("tenant-a", "po_2", new Money(100, "USD"), "acct_unknown", null, account));
        assertThat(((SubmitOutcome.Rejected) nowhere).code()).isEqualTo("invalid_destination");
        assertThat(stripe.transfers()).isEmpty();
    }

    @Test
    void yenIsSentInWholeYenNeverTimesAHundred() {
        SubmitOutcome out = noRetries.submit(payout("po_jpy", 1500, "JPY"));
        assertThat(stripe.transfers().get(0).amount()).isEqualTo(1500);
        assertThat(((SubmitOutcome.Accepted) out).payout().amount()).isEqualTo(new Money(1500, "JPY"));
        assertThat(stripe.balanceOf("jpy")).isEqualTo(1_000_000 - 1500);
    }

    @Test
    void fetchSeesAReversalAsReversed() {
        ProcessorPayout p = ((SubmitOutcome.Accepted) noRetries.submit(payout("po_1", 900, "USD"))).payout();
        assertThat(noRetries.fetch(payout("po_1", 900, "USD"), p.reference()).status()).isEqualTo(ProcessorStatus.PAID);
        stripe.reverse(p.reference());
        assertThat(noRetries.fetch(payout("po_1", 900, "USD"), p.reference()).status()).isEqualTo(ProcessorStatus.REVERSED);
    }

    @Test
    void amountsStripeCannotTakeExactlyAreRefusedBeforeAnyCall() {
        stripe.balance("huf", 10_000_000).balance("isk", 10_000_000);
        SubmitOutcome huf = noRetries.submit(payout("po_huf", 12345, "HUF"));
        assertThat(((SubmitOutcome.Rejected) huf).code()).isEqualTo("amount_not_representable");
        SubmitOutcome isk = noRetries.submit(payout("po_isk", 500, "ISK"));
        assertThat(isk).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(stripe.transfers().get(0).amount()).isEqualTo(50_000);
        assertThat(((SubmitOutcome.Accepted) isk).payout().amount()).isEqualTo(new Money(500, "ISK"));
    }
}
