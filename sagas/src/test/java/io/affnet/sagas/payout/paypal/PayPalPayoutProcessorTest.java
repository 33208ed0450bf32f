package io.affnet.sagas.payout.paypal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Money;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorPayout;
import io.affnet.sagas.payout.processor.ProcessorStatus;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The PayPal adapter (java.net.http client) against the local PayPal fake. */
class PayPalPayoutProcessorTest {

    MovableClock clock = new MovableClock();
    FakePayPal paypal = new FakePayPal("client-a", "secret-a", Faults.seeded(11, 0, 0, Duration.ofSeconds(3)))
            .balance("USD", new BigDecimal("10000.00")).balance("HUF", new BigDecimal("1000000"))
            .balance("TWD", new BigDecimal("1000000")).balance("JPY", new BigDecimal("1000000")).clock(clock);
    ProcessorAccount account = new ProcessorAccount(ProcessorName.PAYPAL, paypal.baseUrl(), "client-a", "secret-a");
    PayPalPayoutProcessor processor = processor(Duration.ofSeconds(30));

    @AfterEach
    void close() {
        paypal.close();
    }

    PayPalPayoutProcessor processor(Duration readTimeout) {
        return new PayPalPayoutProcessor(new PayPalClient(Duration.ofSeconds(10), readTimeout, new ObjectMapper(), clock), new ObjectMapper());
    }

    PayoutInstruction payout(String id, long minor, String currency) {
        return new PayoutInstruction("tenant-a", id, new Money(minor, currency), "aff@example.com", "EMAIL", account);
    }

    @Test
    void submitsOneItemBatchWithKeysFromTenantAndPayoutAndPollsItToPaid() {
        paypal.settleAfter(Duration.ofDays(1));
        SubmitOutcome out = processor.submit(payout("po_1", 1250, "USD"));
        ProcessorPayout p = ((SubmitOutcome.Accepted) out).payout();
        assertThat(p.status()).isEqualTo(ProcessorStatus.PENDING);
        assertThat(p.amount()).isEqualTo(new Money(1250, "USD"));
        FakePayPal.Item item = paypal.items().get(0);
        assertThat(item.senderBatchId()).isEqualTo(PayoutKeys.paypalSenderBatchId("tenant-a", "po_1"));
        assertThat(item.senderItemId()).isEqualTo(PayoutKeys.paypalSenderItemId("tenant-a", "po_1"));
        assertThat(item.value()).isEqualTo("12.50");
        paypal.settleAll();
        assertThat(processor.fetch(payout("po_1", 1250, "USD"), p.reference()).status()).isEqualTo(ProcessorStatus.PAID);
        assertThat(processor.fetch(payout("po_1", 1250, "USD"), p.batchReference()).status()).isEqualTo(ProcessorStatus.PAID);
    }

    @Test
    void aSecondSubmitAdoptsTheBatchFromTheDuplicateAnswer() {
        ProcessorPayout first = ((SubmitOutcome.Accepted) processor.submit(payout("po_1", 1250, "USD"))).payout();
        SubmitOutcome again = processor.submit(payout("po_1", 1250, "USD"));
        assertThat(again).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(((SubmitOutcome.Accepted) again).payout().batchReference()).isEqualTo(first.batchReference());
        assertThat(paypal.items()).hasSize(1);
        assertThat(paypal.createAttempts(PayoutKeys.paypalSenderBatchId("tenant-a", "po_1"))).isEqualTo(2);
    }

    @Test
    void anAmbiguousCommitIsFollowedByAResubmitThatAdoptsAndPaysOnce() {
        for (Faults.Draw fault : new Faults.Draw[]{Faults.Draw.COMMIT_THEN_DROP, Faults.Draw.COMMIT_THEN_500, Faults.Draw.COMMIT_THEN_SLOW}) {
            String id = "po_" + fault;
            paypal.force(fault);
            SubmitOutcome out = processor(Duration.ofSeconds(1)).submit(payout(id, 300, "USD"));
            assertThat(out).as("%s", fault).isInstanceOf(SubmitOutcome.Ambiguous.class);
            assertThat(processor.find(payout(id, 300, "USD"))).isEmpty();
            SubmitOutcome retried = processor.submit(payout(id, 300, "USD"));
            assertThat(retried).as("%s", fault).isInstanceOf(SubmitOutcome.Accepted.class);
        }
        assertThat(paypal.items()).hasSize(3);
    }

    @Test
    void pastThirtyDaysTheStoredBatchIdFindsThePayoutWhereAResubmitWouldPayAgain() {
        paypal.settleAfter(Duration.ofDays(40));
        ProcessorPayout first = ((SubmitOutcome.Accepted) processor.submit(payout("po_30", 1250, "USD"))).payout();
        assertThat(first.batchReference()).isNotNull();
        clock.now = clock.now.plus(Duration.ofDays(31));
        PayoutInstruction stored = new PayoutInstruction("tenant-a", "po_30", new Money(1250, "USD"), "aff@example.com", "EMAIL",
                account, first.batchReference());
        ProcessorPayout found = processor.find(stored).orElseThrow();
        assertThat(found.batchReference()).isEqualTo(first.batchReference());
        assertThat(found.status()).isEqualTo(ProcessorStatus.PENDING);
        assertThat(found.amount()).isEqualTo(new Money(1250, "USD"));
        assertThat(paypal.items()).as("found, not sent again").hasSize(1);
        paypal.settleAll();
        assertThat(processor.find(stored).orElseThrow().status()).isEqualTo(ProcessorStatus.PAID);

        // Without the stored id there is nothing to look up, and PayPal's duplicate answer is gone after 30 days:
        // a resubmit is a second batch. This is what the stored batch id prevents.
        assertThat(processor.find(payout("po_30", 1250, "USD"))).isEmpty();
        SubmitOutcome resent = processor.submit(payout("po_30", 1250, "USD"));
        assertThat(((SubmitOutcome.Accepted) resent).payout().batchReference()).isNotEqualTo(first.batchReference());
        assertThat(paypal.items()).hasSize(2);
    }

    @Test
    void aDuplicateBatchWithAnotherAmountIsNotAdopted() {
        processor.submit(payout("po_1", 1250, "USD"));
        SubmitOutcome other = processor.submit(payout("po_1", 1300, "USD"));
        assertThat(((SubmitOutcome.Rejected) other).code()).isEqualTo("duplicate_batch_mismatch");
        assertThat(paypal.items()).hasSize(1);
    }

    @Test
    void forintsAndTaiwanDollarsGoWithoutDecimalsAndFractionsAreRefused() {
        processor.submit(payout("po_huf", 12300, "HUF"));
        processor.submit(payout("po_twd", 5000, "TWD"));
        processor.submit(payout("po_jpy", 1500, "JPY"));
        assertThat(paypal.items()).extracting(FakePayPal.Item::value).containsExactly("123", "50", "1500");
        SubmitOutcome fraction = processor.submit(payout("po_huf2", 12345, "HUF"));
        assertThat(((SubmitOutcome.Rejected) fraction).code()).isEqualTo("amount_not_representable");
        paypal.settleAll();
        ProcessorPayout huf = processor.fetch(payout("po_huf", 12300, "HUF"), paypal.items().get(0).itemId());
        assertThat(huf.amount()).isEqualTo(new Money(12300, "HUF"));
        assertThat(paypal.items()).hasSize(3);
    }

    @Test
    void insufficientFundsIsRejectedAndRateLimitsAreRetryLater() {
        SubmitOutcome poor = processor.submit(payout("po_1", 2_000_000, "USD"));
        assertThat(((SubmitOutcome.Rejected) poor).code()).isEqualTo("INSUFFICIENT_FUNDS");
        paypal.force(Faults.Draw.RATE_LIMITED);
        assertThat(processor.submit(payout("po_2", 100, "USD"))).isInstanceOf(SubmitOutcome.RetryLater.class);
        paypal.force(Faults.Draw.UNAVAILABLE);
        assertThat(processor.submit(payout("po_2", 100, "USD"))).isInstanceOf(SubmitOutcome.Ambiguous.class);
        assertThat(paypal.items()).isEmpty();
    }

    @Test
    void anExpiredTokenIsRenewedFromExpiresIn() {
        paypal.tokenTtl(Duration.ofSeconds(120));
        processor.submit(payout("po_1", 100, "USD"));
        clock.now = clock.now.plusSeconds(121);
        assertThat(processor.submit(payout("po_2", 100, "USD"))).isInstanceOf(SubmitOutcome.Accepted.class);
        ProcessorAccount wrong = new ProcessorAccount(ProcessorName.PAYPAL, paypal.baseUrl(), "client-a", "nope");
        SubmitOutcome refused = processor.submit(new PayoutInstruction("tenant-a", "po_3", new Money(100, "USD"), "aff@example.com", "EMAIL", wrong));
        assertThat(((SubmitOutcome.Rejected) refused).code()).isEqualTo("paypal_authentication");
    }

    @Test
    void itemStatusesMapToProcessorStatuses() {
        paypal.unclaimed("lost@example.com").blocked("bad@example.com");
        PayoutInstruction unclaimed = new PayoutInstruction("tenant-a", "po_u", new Money(100, "USD"), "lost@example.com", "EMAIL", account);
        PayoutInstruction blocked = new PayoutInstruction("tenant-a", "po_b", new Money(100, "USD"), "bad@example.com", "EMAIL", account);
        ProcessorPayout u = ((SubmitOutcome.Accepted) processor.submit(unclaimed)).payout();
        ProcessorPayout b = ((SubmitOutcome.Accepted) processor.submit(blocked)).payout();
        paypal.settleAll();
        assertThat(processor.fetch(unclaimed, u.batchReference()).status()).isEqualTo(ProcessorStatus.PENDING);
        assertThat(processor.fetch(blocked, b.batchReference()).status()).isEqualTo(ProcessorStatus.FAILED);
        paypal.returnItem(processor.fetch(unclaimed, u.batchReference()).reference());
        assertThat(processor.fetch(unclaimed, u.batchReference()).status()).isEqualTo(ProcessorStatus.RETURNED);
        assertThat(PayPalPayoutProcessor.status("REVERSED")).isEqualTo(ProcessorStatus.REVERSED);
        assertThat(PayPalPayoutProcessor.status("ONHOLD")).isEqualTo(ProcessorStatus.PENDING);
        assertThat(PayPalPayoutProcessor.status("REFUNDED")).isEqualTo(ProcessorStatus.RETURNED);
    }

    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
