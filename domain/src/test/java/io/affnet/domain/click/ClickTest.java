package io.affnet.domain.click;

import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.ledger.CommissionEarnedEvent;
import io.affnet.api.ledger.CommissionReversedEvent;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ClickTest {

    private static final TenantId T = new TenantId("t_1");
    private static final Instant CLICKED = Instant.parse("2026-03-01T10:00:00Z");
    private static final long WINDOW = 7 * 24 * 3600;
    private AggregateTestFixture<Click> fixture;
    private FakeConversionPorts ports;

    /** The click's own command handler, with in-memory ports. */
    @BeforeEach
    void setUp() {
        ports = new FakeConversionPorts();
        fixture = ports.fixture();
    }

    private static ClickRecordedEvent click(List<PayoutOverride> overrides) {
        return click(overrides, Caps.none());
    }

    private static ClickRecordedEvent click(List<PayoutOverride> overrides, Caps caps) {
        OfferTerms terms = new OfferTerms("Shoes", "adv1", "https://a.example/?c={click_id}", "EUR", OfferStatus.ACTIVE,
                List.of(new Goal("lead", Amount.fixed(500), Amount.fixed(300)),
                        new Goal("sale", Amount.percentBasisPoints(1000), Amount.percentBasisPoints(500))),
                WINDOW, caps, Set.of(), Set.of(), null);
        return new ClickRecordedEvent(T, "c1", "l1", "code", "aff1", 1, "off1", 1, terms, overrides, Map.of(), CLICKED,
                "ua", null, "desktop", "DE", "h", "1.2.3.0/24", ClickOutcome.OFFER, null, null, null);
    }

    private static RecordConversionCommand report(String goal, String txn, String amount, String currency,
                                                  ConversionStatus status, Instant at) {
        return report(goal, txn, amount, currency, status, at, FraudRules.defaults(), null, null);
    }

    private static RecordConversionCommand report(String goal, String txn, String amount, String currency,
                                                  ConversionStatus status, Instant at, FraudRules fraud, ExchangeRate rate,
                                                  String email) {
        return new RecordConversionCommand("c1", T, "cv1", new ConversionInput(goal, txn,
                amount == null ? null : new BigDecimal(amount), currency, status, at, "postback", email),
                fraud, rate, "aff-email-hash", null, null);
    }

    private static Instant after(long seconds) {
        return CLICKED.plusSeconds(seconds);
    }

    @Test
    void creditsFixedPayoutWithCommissionWhenApproved() {
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3600)))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(3600), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(3600)));
    }

    @Test
    void aSmartLinkClickHandsItsLinkAndSegmentToItsConversions() {
        ClickRecordedEvent plain = click(List.of());
        ClickRecordedEvent smart = new ClickRecordedEvent(T, "c1", "l1", "code", "aff1", 1, "off1", 1, plain.terms(),
                List.of(), Map.of("source", "newsletter"), CLICKED, "ua", null, "mobile", "FR", "h", "1.2.3.0/24",
                ClickOutcome.OFFER, null, new io.affnet.api.click.Decision("thompson-epc", "1", List.of("off1", "off2"),
                "off1", 0.7), true);
        fixture.given(smart)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3600)))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(3600), "postback", null,
                                new io.affnet.api.conversion.SmartLinkContext("l1", "FR", "mobile", "newsletter")),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(3600)));
    }

    @Test
    void revshareUsesTheSaleAndTheAffiliatesOverride() {
        fixture.given(click(List.of(new PayoutOverride("off1", "sale", Amount.percentBasisPoints(2000)))))
                .when(report("sale", "O-9", "123.45", "EUR", ConversionStatus.PENDING, after(60)))
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "sale", "O-9",
                        ConversionStatus.PENDING, new Money(1234, "EUR"), new Money(2469, "EUR"),
                        new Money(12345, "EUR"), new Money(12345, "EUR"), null, CLICKED, after(60), "postback", null));
    }

    @Test
    void convertsAnotherCurrencyAndRecordsTheRate() {
        ExchangeRate rate = new ExchangeRate("USD", "EUR", "0.9", LocalDate.of(2026, 3, 1), "test");
        fixture.given(click(List.of()))
                .when(report("sale", "O-1", "100.00", "USD", ConversionStatus.APPROVED, after(60), FraudRules.defaults(), rate, null))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "sale", "O-1",
                                ConversionStatus.APPROVED, new Money(900, "EUR"), new Money(450, "EUR"),
                                new Money(9000, "EUR"), new Money(10000, "USD"), rate, CLICKED, after(60), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(450, "EUR"), after(60)));
    }

    @Test
    void rejectsASaleInAnUnconvertibleCurrency() {
        fixture.given(click(List.of()))
                .when(report("sale", "O-1", "100.00", "JPY", ConversionStatus.APPROVED, after(60)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "sale", "O-1",
                        RejectionReason.CURRENCY_UNSUPPORTED, after(60), "postback"));
    }

    @Test
    void theSameReportTwiceCreditsOnce() {
        ClickRecordedEvent click = click(List.of());
        ConversionRecordedEvent recorded = new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                after(3600), "postback", null);
        fixture.given(click, recorded)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3700)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.DUPLICATE_TRANSACTION, after(3700), "postback"));
    }

    @Test
    void pendingThenApprovedEarnsTheCommissionOnApproval() {
        ConversionRecordedEvent pending = new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                ConversionStatus.PENDING, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                after(3600), "postback", null);
        fixture.given(click(List.of()), pending)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(7200)))
                .expectEvents(
                        new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1",
                                ConversionStatus.PENDING, ConversionStatus.APPROVED, new Money(500, "EUR"),
                                new Money(300, "EUR"), after(7200)),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(7200)));
    }

    @Test
    void aReversalAfterApprovalTakesTheCommissionBack() {
        ConversionRecordedEvent approved = new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                after(3600), "postback", null);
        fixture.given(click(List.of()), approved)
                .when(report("lead", "T1", null, null, ConversionStatus.REVERSED, after(9000)))
                .expectEvents(
                        new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1",
                                ConversionStatus.APPROVED, ConversionStatus.REVERSED, new Money(500, "EUR"),
                                new Money(300, "EUR"), after(9000)),
                        new CommissionReversedEvent(T, "aff1", "cv1", "off1", new Money(-300, "EUR"), after(9000)));
    }

    @Test
    void aFirstReportThatDeclinesIsRecordedAsDeclined() {
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.REJECTED, after(3600)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.DECLINED, after(3600), "postback"));
    }

    @Test
    void anApprovalOfADeclinedTransactionCreditsNothing() {
        ConversionRejectedEvent declined = new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                RejectionReason.DECLINED, after(3600), "postback");
        fixture.given(click(List.of()), declined)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(7200)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.DECLINED, after(7200), "postback"));
    }

    @Test
    void anApprovalOfADeclinedTransactionCreditsItWhenTheTenantAllowsReapproval() {
        ConversionRejectedEvent declined = new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                RejectionReason.DECLINED, after(3600), "postback");
        fixture.given(click(List.of()), declined)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(7200),
                        new FraudRules(10, 5, true, false, true), null, null))
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(7200), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(7200)));
    }

    @Test
    void anotherTransactionOnTheSameClickIsNotHeldByADecline() {
        ConversionRejectedEvent declined = new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                RejectionReason.DECLINED, after(3600), "postback");
        fixture.given(click(List.of()), declined)
                .when(report("lead", "T2", null, null, ConversionStatus.APPROVED, after(7200)))
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T2",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(7200), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(7200)));
    }

    @Test
    void aReversedConversionCannotBeApprovedAgain() {
        ConversionRecordedEvent approved = new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                after(3600), "postback", null);
        ConversionStatusChangedEvent reversed = new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1",
                ConversionStatus.APPROVED, ConversionStatus.REVERSED, new Money(500, "EUR"), new Money(300, "EUR"), after(9000));
        fixture.given(click(List.of()), approved, reversed)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(9500)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.INVALID_STATUS_CHANGE, after(9500), "postback"));
    }

    @Test
    void theAttributionWindowIncludesItsLastSecondAndNothingAfter() {
        fixture.given(click(List.of()))
                .when(report("lead", "edge", null, null, ConversionStatus.APPROVED, after(WINDOW)))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "edge",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(WINDOW), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(WINDOW)));
        setUp();
        fixture.given(click(List.of()))
                .when(report("lead", "late", null, null, ConversionStatus.APPROVED, after(WINDOW + 1)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "late",
                        RejectionReason.OUTSIDE_WINDOW, after(WINDOW + 1), "postback"));
    }

    @Test
    void aConversionThatSeemsToPrecedeItsClickByAClockStepIsCreditedAndOneBeyondIsNot() {
        // The postback's node runs 10 minutes behind the click's (a clock stepped +5 min, then -5 min).
        fixture.given(click(List.of()))
                .when(report("lead", "skew", null, null, ConversionStatus.APPROVED, after(-600)))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "skew",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(-600), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(-600)));
        setUp();
        fixture.given(click(List.of()))
                .when(report("lead", "before", null, null, ConversionStatus.APPROVED, after(-Click.CLOCK_SKEW.getSeconds() - 1)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "before",
                        RejectionReason.OUTSIDE_WINDOW, after(-Click.CLOCK_SKEW.getSeconds() - 1), "postback"));
    }

    @Test
    void unknownGoalIsRejected() {
        fixture.given(click(List.of()))
                .when(report("install", "T1", null, null, ConversionStatus.APPROVED, after(60)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "install", "T1",
                        RejectionReason.UNKNOWN_GOAL, after(60), "postback"));
    }

    @Test
    void aConversionSecondsAfterTheClickIsRejectedAsTooFast() {
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.FRAUD_TOO_FAST, after(3), "postback"));
    }

    @Test
    void flagOnlyModeHoldsASuspiciousConversionAsPending() {
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3),
                        new FraudRules(10, 5, true, true), null, null))
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                        ConversionStatus.PENDING, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                        after(3), "postback", "fraud_too_fast"));
    }

    @Test
    void moreConversionsPerClickAndGoalThanAllowedAreRejected() {
        ConversionRecordedEvent first = new ConversionRecordedEvent(T, "cv0", "c1", "off1", "aff1", "adv1", "lead", "T0",
                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, CLICKED,
                after(3600), "postback", null);
        fixture.given(click(List.of()), first)
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(3700), new FraudRules(10, 1, true, false), null, null))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.FRAUD_TOO_MANY_PER_CLICK, after(3700), "postback"));
    }

    @Test
    void theAffiliateConvertingOnItsOwnClickIsRejected() {
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600), FraudRules.defaults(), null,
                        "aff-email-hash"))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.FRAUD_SELF_REFERRAL, after(600), "postback"));
    }

    @Test
    void withoutAGoalTheOffersFirstGoalIsUsed() {
        fixture.given(click(List.of()))
                .when(report(null, "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectEvents(
                        new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                                CLICKED, after(600), "postback", null),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(600)));
    }

    private static ConversionRecordedEvent lead(String txn, Instant at) {
        return new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", txn,
                ConversionStatus.APPROVED, new Money(500, "EUR"), new Money(300, "EUR"), null, null, null,
                CLICKED, at, "postback", null);
    }

    @Test
    void aTransactionIdCreditedOnAnotherClickIsADuplicate() {
        ports.txns.claim(T, "off1", "lead", "T1", "c0", "cv0");
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.DUPLICATE_TRANSACTION, after(600), "postback"))
                .expectResultMessagePayload(new ConversionDecision.Duplicate(null, "lead"));
    }

    @Test
    void aCreditedConversionClaimsItsTransactionIdAndACapSlot() {
        fixture.given(click(List.of(), new Caps(5L, null, null, null, null, null)))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectEvents(lead("T1", after(600)),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", new Money(300, "EUR"), after(600)));
        org.assertj.core.api.Assertions.assertThat(ports.transactionIds)
                .containsEntry(FakeConversionPorts.key(T, "off1", "lead", "T1"), "cv1");
        org.assertj.core.api.Assertions.assertThat(ports.counts).containsValue(1L).hasSize(1);
    }

    @Test
    void aFullCapRejectsAndLeavesTheTransactionIdFree() {
        ports.counts.put(io.affnet.api.config.CapKeys.offerDay("t_1", "off1", after(600).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate()), 2L);
        fixture.given(click(List.of(), new Caps(2L, null, null, null, null, null)))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.CAP_REACHED, after(600), "postback"));
        org.assertj.core.api.Assertions.assertThat(ports.transactionIds).isEmpty();
        org.assertj.core.api.Assertions.assertThat(ports.counts).containsValue(2L).hasSize(1);
    }

    @Test
    void aRepeatAtAFullCapIsStillADuplicate() {
        ports.txns.claim(T, "off1", "lead", "T1", "c0", "cv0");
        ports.counts.put(io.affnet.api.config.CapKeys.offerLifetime("t_1", "off1"), 1L);
        fixture.given(click(List.of(), new Caps(null, null, 1L, null, null, null)))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T1",
                        RejectionReason.DUPLICATE_TRANSACTION, after(600), "postback"));
    }

    @Test
    void aSuspendedTenantsReportIsRefusedWithoutAnEvent() {
        ports.suspended.add(T);
        fixture.given(click(List.of()))
                .when(report("lead", "T1", null, null, ConversionStatus.APPROVED, after(600)))
                .expectException(ConversionRefusedException.TenantSuspended.class)
                .expectNoEvents();
    }

    @Test
    void aSenderOutsideTheAllowlistIsRefusedWithoutAnEvent() {
        ports.allowedSenders.add("203.0.113.7");
        RecordConversionCommand fromElsewhere = new RecordConversionCommand("c1", T, "cv1", new ConversionInput("lead", "T1",
                null, null, ConversionStatus.APPROVED, after(600), "postback", null), null, null, null, null, "198.51.100.1");
        fixture.given(click(List.of()))
                .when(fromElsewhere)
                .expectException(ConversionRefusedException.SenderNotAllowed.class)
                .expectNoEvents();
    }

    @Test
    void anotherTenantsClickAnswersLikeAnUnknownOne() {
        RecordConversionCommand foreign = new RecordConversionCommand("c1", new TenantId("t_2"), "cv1",
                new ConversionInput("lead", "T1", null, null, ConversionStatus.APPROVED, after(600), "postback", null),
                null, null, null, null, null);
        fixture.given(click(List.of()))
                .when(foreign)
                .expectException(UnknownClickException.class)
                .expectNoEvents();
    }

    @Test
    void theRateAndFraudRulesComeFromThePortsWhenTheCommandHasNone() {
        ExchangeRate rate = new ExchangeRate("USD", "EUR", "0.5", LocalDate.of(2026, 3, 1), "table");
        ports.rates.put("USDEUR", rate);
        ports.fraud = new FraudRules(0, 0, true, false);
        ports.affiliateEmailHash = "h-aff";
        fixture.given(click(List.of()))
                .when(report("sale", "O-1", "100.00", "USD", ConversionStatus.PENDING, after(60), null, null, null))
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "sale", "O-1",
                        ConversionStatus.PENDING, new Money(500, "EUR"), new Money(250, "EUR"),
                        new Money(5000, "EUR"), new Money(10000, "USD"), rate, CLICKED, after(60), "postback", null));
        setUp();
        ports.fraud = new FraudRules(0, 0, true, false);
        ports.affiliateEmailHash = "h-aff";
        RecordConversionCommand selfReferral = new RecordConversionCommand("c1", T, "cv1", new ConversionInput("lead", "T2",
                null, null, ConversionStatus.APPROVED, after(60), "postback", "h-aff"), null, null, null, null, null);
        fixture.given(click(List.of()))
                .when(selfReferral)
                .expectEvents(new ConversionRejectedEvent(T, "c1", "off1", "aff1", "lead", "T2",
                        RejectionReason.FRAUD_SELF_REFERRAL, after(60), "postback"));
    }
}
