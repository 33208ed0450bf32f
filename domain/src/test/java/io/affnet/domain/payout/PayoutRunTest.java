package io.affnet.domain.payout;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.payout.ApprovePayoutRunCommand;
import io.affnet.api.payout.CancelPayoutRunCommand;
import io.affnet.api.payout.CreatePayoutRunCommand;
import io.affnet.api.payout.FxQuote;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutRunApprovedEvent;
import io.affnet.api.payout.PayoutRunCancelledEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutRunPreviewedEvent;
import io.affnet.api.payout.PayoutSchedule;
import io.affnet.api.payout.PayoutTerms;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayoutRunTest {

    static final TenantId T = TenantId.of("t1");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    static final LocalDate FROM = LocalDate.parse("2026-02-01");
    static final LocalDate TO = LocalDate.parse("2026-02-28");
    static final PayoutRunItem EUR_TO_USD = new PayoutRunItem("run1-aff1-EUR", "aff1", "PAYPAL", "pm1", "a@example.com",
            "EMAIL", new Money(10_000, "EUR"), new Money(0, "USD"), null);
    static final FxQuote QUOTE = new FxQuote("EUR", "USD", "1.0837", AT, "ecb");

    private AggregateTestFixture<PayoutRun> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(PayoutRun.class);
    }

    private static PayoutRunPreviewedEvent previewed() {
        return new PayoutRunPreviewedEvent("run1", T, FROM, TO, null, List.of(EUR_TO_USD), true, "admin", AT);
    }

    @Test
    void approvalRecordsTheQuoteAndConvertsHalfEvenOnce() {
        PayoutRunItem converted = new PayoutRunItem("run1-aff1-EUR", "aff1", "PAYPAL", "pm1", "a@example.com", "EMAIL",
                new Money(10_000, "EUR"), new Money(10_837, "USD"), QUOTE);
        fixture.given(previewed())
                .when(new ApprovePayoutRunCommand("run1", T, Map.of("run1-aff1-EUR", QUOTE), "admin", AT))
                .expectEvents(new PayoutRunApprovedEvent("run1", T, List.of(converted), true, "admin", AT));
    }

    @Test
    void approvalWithoutARateForAConvertedItemIsRefused() {
        fixture.given(previewed())
                .when(new ApprovePayoutRunCommand("run1", T, Map.of(), "admin", AT))
                .expectException(PayoutRunStateException.class);
    }

    @Test
    void anotherTenantCannotApproveTheRun() {
        fixture.given(previewed())
                .when(new ApprovePayoutRunCommand("run1", TenantId.of("t2"), Map.of("run1-aff1-EUR", QUOTE), "admin", AT))
                .expectException(PayoutRunStateException.class);
    }

    @Test
    void aCancelledRunCannotBeApprovedAndAnApprovedOneCannotBeCancelled() {
        fixture.given(previewed(), new PayoutRunCancelledEvent("run1", T, "admin", AT))
                .when(new ApprovePayoutRunCommand("run1", T, Map.of("run1-aff1-EUR", QUOTE), "admin", AT))
                .expectException(PayoutRunStateException.class);
        fixture.given(previewed(), new PayoutRunApprovedEvent("run1", T, List.of(EUR_TO_USD), true, "admin", AT))
                .when(new CancelPayoutRunCommand("run1", T, "admin", AT))
                .expectException(PayoutRunStateException.class);
    }

    @Test
    void aRunPaysAffiliatesWithADefaultMethodAboveTheMinimumAndSkipsNegativeOnesWhenTheTenantBlocks() {
        PayoutTerms terms = new PayoutTerms(Duration.ofDays(30), Map.of(), PayoutSchedule.MONTHLY, 0, Map.of("EUR", 1000L), true);
        Map<String, PayoutMethod> methods = Map.of(
                "a1", new PayoutMethod("pm1", "STRIPE", "acct_1", "", "EUR", "DE"),
                "a2", new PayoutMethod("pm2", "STRIPE", "acct_2", "", "EUR", "DE"),
                "a3", new PayoutMethod("pm3", "PAYPAL", "x@example.com", "EMAIL", "USD", "US"));
        List<PayoutRules.Available> balances = List.of(
                new PayoutRules.Available("a1", new Money(5000, "EUR")),
                new PayoutRules.Available("a2", new Money(999, "EUR")),
                new PayoutRules.Available("a3", new Money(5000, "EUR")),
                new PayoutRules.Available("a3", new Money(-10, "GBP")),
                new PayoutRules.Available("a4", new Money(9000, "EUR")));
        List<PayoutRunItem> items = PayoutRules.plan("r", balances, methods, terms, Set.of());
        assertThat(items).extracting(PayoutRunItem::affiliateId).containsExactly("a1");
        List<PayoutRunItem> lenient = PayoutRules.plan("r", balances, methods,
                new PayoutTerms(Duration.ZERO, Map.of(), PayoutSchedule.WEEKLY, 0, Map.of("EUR", 1000L), false), Set.of());
        assertThat(lenient).extracting(PayoutRunItem::affiliateId).containsExactly("a1", "a3");
        assertThat(lenient.get(1).paid().currency()).isEqualTo("USD");
    }

    @Test
    void termsWithANegativeHoldAreRefused() {
        assertThatThrownBy(() -> PayoutRules.validate(new PayoutTerms(Duration.ofDays(-1), Map.of(), PayoutSchedule.NET, 15,
                Map.of(), true))).isInstanceOf(PayoutRunStateException.class);
    }
}
