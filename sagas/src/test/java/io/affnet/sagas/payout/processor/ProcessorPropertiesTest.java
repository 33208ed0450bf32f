package io.affnet.sagas.payout.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Money;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.sagas.payout.paypal.PayPalClient;
import io.affnet.sagas.payout.paypal.PayPalCurrencies;
import io.affnet.sagas.payout.paypal.PayPalPayoutProcessor;
import io.affnet.sagas.payout.stripe.StripeCurrencies;
import io.affnet.sagas.payout.stripe.StripePayoutProcessor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants I9 and I10 of the payouts (docs/payouts.md, issue #14) as properties, through the real
 * adapters against the local fakes:
 * <ul>
 * <li>I9 reconciliation with the processor's state: after any sequence of submits, each under any fault
 * the fakes can inject (refusals, ambiguous commits: effect applied then the connection dropped, a 500 or
 * a late answer), done the saga's way (find first, submit only when nothing is found), every payout has at
 * most one transfer or item at the processor, and the adapter's {@code find} answers exactly what the
 * processor holds: present iff it holds one, with its reference and amount.</li>
 * <li>I10 amount fidelity through the exponent table: any amount in any currency either reaches the
 * processor as exactly the units the table gives (Stripe's integer, PayPal's decimal string) and comes back
 * unchanged, or is refused before anything is sent.</li>
 * </ul>
 */
class ProcessorPropertiesTest {

    static final String KEY = "sk_test_properties";
    static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "JPY", "HUF", "TWD", "ISK", "UGX", "KWD", "KRW", "CLP");
    static final List<Faults.Draw> FAULTS = List.of(Faults.Draw.NONE, Faults.Draw.NONE, Faults.Draw.RATE_LIMITED,
            Faults.Draw.CONFLICT, Faults.Draw.UNAVAILABLE, Faults.Draw.COMMIT_THEN_DROP, Faults.Draw.COMMIT_THEN_500,
            Faults.Draw.COMMIT_THEN_SLOW);

    static FakeStripe stripe;
    static FakePayPal paypal;
    static StripePayoutProcessor stripeAdapter;
    static PayPalPayoutProcessor paypalAdapter;
    static ProcessorAccount stripeAccount;
    static ProcessorAccount paypalAccount;
    /** Every try uses payout ids of its own (the fakes live for the whole class). */
    static final AtomicLong TRY = new AtomicLong();

    @BeforeContainer
    static void start() {
        stripe = new FakeStripe(KEY, Faults.seeded(5, 0, 0, Duration.ofSeconds(2))).connectedAccount("acct_1Prop");
        paypal = new FakePayPal("client-p", "secret-p", Faults.seeded(6, 0, 0, Duration.ofSeconds(2)));
        for (String c : CURRENCIES) {
            stripe.balance(c.toLowerCase(), Long.MAX_VALUE / 4);
            paypal.balance(c, new BigDecimal("1000000000000000"));
        }
        stripeAccount = new ProcessorAccount(ProcessorName.STRIPE, stripe.baseUrl(), KEY, "");
        paypalAccount = new ProcessorAccount(ProcessorName.PAYPAL, paypal.baseUrl(), "client-p", "secret-p");
        // A read timeout below the fakes' late answer (2 s), so COMMIT_THEN_SLOW is an ambiguous answer.
        stripeAdapter = new StripePayoutProcessor(new StripePayoutProcessor.Settings(Duration.ofSeconds(10), Duration.ofMillis(1500), 0));
        paypalAdapter = new PayPalPayoutProcessor(new PayPalClient(Duration.ofSeconds(10), Duration.ofMillis(1500), new ObjectMapper(),
                Clock.systemUTC()), new ObjectMapper());
    }

    @AfterContainer
    static void stop() {
        stripe.close();
        paypal.close();
    }

    record Step(int payout, Faults.Draw fault) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.of(FAULTS)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 15)
    void findAnswersWhatStripeHoldsAndNothingIsPaidTwice_I9(@ForAll("steps") List<Step> steps) {
        String tenant = "tenant-i9s-" + TRY.incrementAndGet();
        for (Step step : steps) {
            PayoutInstruction instruction = new PayoutInstruction(tenant, "po_" + step.payout(), new Money(1000 + step.payout(), "EUR"),
                    "acct_1Prop", null, stripeAccount);
            sagaAttempt(stripeAdapter, instruction, () -> stripe.force(step.fault()));
        }
        for (int p = 0; p < 4; p++) {
            PayoutInstruction instruction = new PayoutInstruction(tenant, "po_" + p, new Money(1000 + p, "EUR"), "acct_1Prop", null,
                    stripeAccount);
            List<FakeStripe.Transfer> held = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(tenant, "po_" + p));
            assertThat(held).as("transfers of po_%d", p).hasSizeLessThanOrEqualTo(1);
            Optional<ProcessorPayout> found = stripeAdapter.find(instruction);
            assertThat(found.isPresent()).as("find po_%d", p).isEqualTo(!held.isEmpty());
            found.ifPresent(f -> {
                assertThat(f.reference()).isEqualTo(held.get(0).id());
                assertThat(f.amount()).isEqualTo(new Money(held.get(0).amount(), "EUR"));
            });
        }
    }

    @Property(tries = 15)
    void findAnswersWhatPayPalHoldsAndNothingIsPaidTwice_I9(@ForAll("steps") List<Step> steps) {
        String tenant = "tenant-i9p-" + TRY.incrementAndGet();
        String[] knownBatch = new String[4];
        for (Step step : steps) {
            PayoutInstruction instruction = new PayoutInstruction(tenant, "po_" + step.payout(), new Money(1000 + step.payout(), "EUR"),
                    "p" + step.payout() + "@example.com", "EMAIL", paypalAccount, knownBatch[step.payout()]);
            Optional<ProcessorPayout> adopted = sagaAttempt(paypalAdapter, instruction, () -> paypal.force(step.fault()));
            adopted.filter(a -> a.batchReference() != null).ifPresent(a -> knownBatch[step.payout()] = a.batchReference());
        }
        for (int p = 0; p < 4; p++) {
            String batch = PayoutKeys.paypalSenderBatchId(tenant, "po_" + p);
            List<FakePayPal.Item> held = paypal.items().stream().filter(i -> batch.equals(i.senderBatchId())).toList();
            assertThat(held).as("items of po_%d", p).hasSizeLessThanOrEqualTo(1);
            if (knownBatch[p] != null) {
                // With the batch id the saga stored, find reads it (PayPal has no lookup by sender_batch_id).
                PayoutInstruction instruction = new PayoutInstruction(tenant, "po_" + p, new Money(1000 + p, "EUR"),
                        "p" + p + "@example.com", "EMAIL", paypalAccount, knownBatch[p]);
                Optional<ProcessorPayout> found = paypalAdapter.find(instruction);
                assertThat(found).as("find po_%d", p).isPresent();
                assertThat(found.get().amount()).isEqualTo(new Money(1000 + p, "EUR"));
                assertThat(held).hasSize(1);
            }
        }
    }

    /** The saga's rule: find first and adopt; submit only when nothing is found; never re-send blindly. */
    static Optional<ProcessorPayout> sagaAttempt(PayoutProcessor adapter, PayoutInstruction instruction, Runnable arm) {
        try {
            Optional<ProcessorPayout> existing = adapter.find(instruction);
            if (existing.isPresent()) {
                return existing;
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // the saga retries later, find first again
        }
        arm.run();
        SubmitOutcome outcome;
        try {
            outcome = adapter.submit(instruction);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return outcome instanceof SubmitOutcome.Accepted a ? Optional.of(a.payout()) : Optional.empty();
    }

    @Property(tries = 40)
    void stripeAmountsArriveAsTheTableSaysOrAreRefused_I10(@ForAll("currencies") String currency,
                                                          @ForAll @LongRange(min = 1, max = 1_000_000_000L) long minor) {
        String payout = "po_" + TRY.incrementAndGet();
        PayoutInstruction instruction = new PayoutInstruction("tenant-i10", payout, new Money(minor, currency), "acct_1Prop", null,
                stripeAccount);
        Optional<Long> units = StripeCurrencies.exponent(currency).toProcessorUnits(minor);
        SubmitOutcome outcome = stripeAdapter.submit(instruction);
        List<FakeStripe.Transfer> held = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup("tenant-i10", payout));
        if (units.isEmpty()) {
            assertThat(outcome).isInstanceOf(SubmitOutcome.Rejected.class);
            assertThat(held).as("nothing sent").isEmpty();
            return;
        }
        assertThat(outcome).as("%s %d", currency, minor).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(held).hasSize(1);
        assertThat(held.get(0).amount()).as("units at Stripe").isEqualTo(units.get());
        assertThat(((SubmitOutcome.Accepted) outcome).payout().amount()).isEqualTo(new Money(minor, currency));
        assertThat(stripeAdapter.fetch(instruction, held.get(0).id()).amount()).isEqualTo(new Money(minor, currency));
    }

    @Property(tries = 40)
    void paypalAmountsArriveAsTheTableSaysOrAreRefused_I10(@ForAll("currencies") String currency,
                                                          @ForAll @LongRange(min = 1, max = 1_000_000_000L) long minor) {
        String payout = "po_" + TRY.incrementAndGet();
        PayoutInstruction instruction = new PayoutInstruction("tenant-i10", payout, new Money(minor, currency), "x@example.com", "EMAIL",
                paypalAccount);
        Optional<String> value = PayPalCurrencies.exponent(currency).toDecimalString(minor);
        SubmitOutcome outcome = paypalAdapter.submit(instruction);
        String batch = PayoutKeys.paypalSenderBatchId("tenant-i10", payout);
        List<FakePayPal.Item> held = paypal.items().stream().filter(i -> batch.equals(i.senderBatchId())).toList();
        if (value.isEmpty() || PayPalCurrencies.refusal("DE", currency).isPresent()) {
            if (outcome instanceof SubmitOutcome.Rejected) {
                assertThat(held).as("nothing sent").isEmpty();
                return;
            }
        }
        assertThat(value).as("%s %d accepted, so representable", currency, minor).isPresent();
        assertThat(outcome).as("%s %d", currency, minor).isInstanceOf(SubmitOutcome.Accepted.class);
        assertThat(held).hasSize(1);
        assertThat(held.get(0).value()).as("value at PayPal").isEqualTo(value.get());
        assertThat(((SubmitOutcome.Accepted) outcome).payout().amount()).isEqualTo(new Money(minor, currency));
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.of(CURRENCIES);
    }
}
