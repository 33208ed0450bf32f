package io.affnet.domain.click;

import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionModeratedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.ModerateConversionCommand;
import io.affnet.api.conversion.ModerationAction;
import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.api.conversion.ReviewRules;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The click's moderation handler and its review rules, on the real aggregate with in-memory ports. */
class ClickModerationTest {

    private static final TenantId T = new TenantId("t_1");
    private static final Instant CLICKED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant AT = CLICKED.plusSeconds(7200);
    private static final Money REV = new Money(500, "EUR");
    private static final Money PAY = new Money(300, "EUR");
    private AggregateTestFixture<Click> fixture;
    private FakeConversionPorts ports;

    @BeforeEach
    void setUp() {
        ports = new FakeConversionPorts();
        fixture = ports.fixture();
    }

    private static ClickRecordedEvent click(Boolean datacenter) {
        OfferTerms terms = new OfferTerms("Shoes", "adv1", "https://a.example/?c={click_id}", "EUR", OfferStatus.ACTIVE,
                List.of(new Goal("lead", Amount.fixed(500), Amount.fixed(300))), 7 * 24 * 3600, Caps.none(), Set.of(), Set.of(), null);
        return new ClickRecordedEvent(T, "c1", "l1", "code", "aff1", 1, "off1", 1, terms, List.of(), Map.of(), CLICKED,
                "ua", null, "desktop", "DE", "h", "1.2.3.0/24", ClickOutcome.OFFER, null, null, null, null, null, null, datacenter);
    }

    private static ConversionRecordedEvent recorded(ConversionStatus status) {
        return new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1", status, REV, PAY,
                null, null, null, CLICKED, CLICKED.plusSeconds(3600), "postback", null);
    }

    private static ModerateConversionCommand moderate(ModerationAction action, String reason, String payout) {
        return new ModerateConversionCommand("c1", T, "cv1", action, reason, null, payout == null ? null : new BigDecimal(payout),
                "usr_admin", "TENANT_ADMIN", null, AT);
    }

    private static ConversionModeratedEvent moderated(ModerationAction action, ConversionStatus from, ConversionStatus to,
                                                      String reason, Money payout) {
        return new ConversionModeratedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", action, from, to, reason, "usr_admin",
                "TENANT_ADMIN", REV, PAY, REV, payout, AT);
    }

    @Test
    void approvingAPendingConversionIsRecordedWithItsActorAndEarnsAsAPostbackWould() {
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(moderate(ModerationAction.APPROVE, "checked the order", null))
                .expectEvents(moderated(ModerationAction.APPROVE, ConversionStatus.PENDING, ConversionStatus.APPROVED,
                                "checked the order", PAY),
                        new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1", ConversionStatus.PENDING,
                                ConversionStatus.APPROVED, REV, PAY, AT),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", PAY, AT))
                .expectResultMessagePayload(new Moderated("cv1", ConversionStatus.PENDING, ConversionStatus.APPROVED, REV, PAY));
    }

    @Test
    void reversingAnApprovedConversionTakesTheCommissionBack() {
        fixture.given(click(null), recorded(ConversionStatus.APPROVED))
                .when(moderate(ModerationAction.REVERSE, "chargeback", null))
                .expectEvents(moderated(ModerationAction.REVERSE, ConversionStatus.APPROVED, ConversionStatus.REVERSED,
                                "chargeback", PAY),
                        new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1", ConversionStatus.APPROVED,
                                ConversionStatus.REVERSED, REV, PAY, AT),
                        new CommissionReversedEvent(T, "aff1", "cv1", "off1", PAY.negate(), AT));
    }

    @Test
    void anAdjustmentReplacesThePayoutOfAPendingConversionAndALaterApprovalEarnsTheNewAmount() {
        Money adjusted = new Money(120, "EUR");
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(moderate(ModerationAction.ADJUST, "partial order", "1.20"))
                .expectEvents(moderated(ModerationAction.ADJUST, ConversionStatus.PENDING, ConversionStatus.PENDING,
                                "partial order", adjusted),
                        new ConversionAdjustedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1", ConversionStatus.PENDING,
                                REV, PAY, REV, adjusted, AT));
        fixture.given(click(null), recorded(ConversionStatus.PENDING), new ConversionAdjustedEvent(T, "cv1", "c1", "off1",
                        "aff1", "lead", "T1", ConversionStatus.PENDING, REV, PAY, REV, adjusted, AT))
                .when(new RecordConversionCommand("c1", T, "cv2", new ConversionInput("lead", "T1", null, null,
                        ConversionStatus.APPROVED, AT.plusSeconds(60), "postback", null), FraudRules.defaults(), null, null, null, null))
                .expectEvents(new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1",
                                ConversionStatus.PENDING, ConversionStatus.APPROVED, REV, adjusted, AT.plusSeconds(60)),
                        new CommissionEarnedEvent(T, "aff1", "cv1", "off1", adjusted, AT.plusSeconds(60)));
    }

    @Test
    void anApprovedConversionIsAdjustedInItsStatusAndALaterReversalTakesBackTheAdjustedPayout() {
        Money adjusted = new Money(350, "EUR");
        fixture.given(click(null), recorded(ConversionStatus.APPROVED))
                .when(moderate(ModerationAction.ADJUST, "bonus agreed", "3.50"))
                .expectEvents(moderated(ModerationAction.ADJUST, ConversionStatus.APPROVED, ConversionStatus.APPROVED,
                                "bonus agreed", adjusted),
                        new ConversionAdjustedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1", ConversionStatus.APPROVED,
                                REV, PAY, REV, adjusted, AT))
                .expectResultMessagePayload(new Moderated("cv1", ConversionStatus.APPROVED, ConversionStatus.APPROVED, REV, adjusted));
        fixture.given(click(null), recorded(ConversionStatus.APPROVED), new ConversionAdjustedEvent(T, "cv1", "c1", "off1",
                        "aff1", "lead", "T1", ConversionStatus.APPROVED, REV, PAY, REV, adjusted, AT))
                .when(moderate(ModerationAction.REVERSE, "chargeback", null))
                .expectEvents(new ConversionModeratedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", ModerationAction.REVERSE,
                                ConversionStatus.APPROVED, ConversionStatus.REVERSED, "chargeback", "usr_admin", "TENANT_ADMIN",
                                REV, adjusted, REV, adjusted, AT),
                        new ConversionStatusChangedEvent(T, "cv1", "c1", "off1", "aff1", "lead", "T1", ConversionStatus.APPROVED,
                                ConversionStatus.REVERSED, REV, adjusted, AT),
                        new CommissionReversedEvent(T, "aff1", "cv1", "off1", adjusted.negate(), AT));
        fixture.given(click(null), recorded(ConversionStatus.REVERSED))
                .when(moderate(ModerationAction.ADJUST, "after the fact", "1.00"))
                .expectNoEvents().expectException(ModerationRefusedException.NotAllowed.class);
    }

    @Test
    void refusalsAppendNothing() {
        fixture.given(click(null), recorded(ConversionStatus.REJECTED))
                .when(moderate(ModerationAction.APPROVE, null, null))
                .expectNoEvents().expectException(ModerationRefusedException.NotAllowed.class);
        fixture.given(click(null), recorded(ConversionStatus.REJECTED))
                .when(moderate(ModerationAction.ADJUST, "too late", "1.00"))
                .expectNoEvents().expectException(ModerationRefusedException.NotAllowed.class);
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(moderate(ModerationAction.REJECT, "  ", null))
                .expectNoEvents().expectException(ModerationRefusedException.Invalid.class);
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(moderate(ModerationAction.ADJUST, "odd", "1.001"))
                .expectNoEvents().expectException(ModerationRefusedException.Invalid.class);
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(moderate(ModerationAction.ADJUST, "odd", "-1"))
                .expectNoEvents().expectException(ModerationRefusedException.Invalid.class);
    }

    @Test
    void anotherTenantsOrAnotherAdvertisersConversionIsUnknown() {
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(new ModerateConversionCommand("c1", new TenantId("t_2"), "cv1", ModerationAction.APPROVE, null, null,
                        null, "usr", "TENANT_ADMIN", null, AT))
                .expectNoEvents().expectException(ModerationRefusedException.UnknownConversion.class);
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(new ModerateConversionCommand("c1", T, "cv1", ModerationAction.APPROVE, null, null, null, "adv2",
                        "ADVERTISER", "adv2", AT))
                .expectNoEvents().expectException(ModerationRefusedException.UnknownConversion.class);
        fixture.given(click(null), recorded(ConversionStatus.PENDING))
                .when(new ModerateConversionCommand("c1", T, "cv9", ModerationAction.APPROVE, null, null, null, "usr",
                        "TENANT_ADMIN", null, AT))
                .expectNoEvents().expectException(ModerationRefusedException.UnknownConversion.class);
    }

    private static RecordConversionCommand approvedReport() {
        return new RecordConversionCommand("c1", T, "cv1", new ConversionInput("lead", "T1", null, null,
                ConversionStatus.APPROVED, CLICKED.plusSeconds(3600), "postback", null), FraudRules.defaults(), null, null, null, null);
    }

    @Test
    void aConversionAboveTheOffersLimitIsHeldForReviewInsteadOfApproved() {
        ports.review = new ReviewRules(new BigDecimal("100"), Map.of("off1", new BigDecimal("2.50")), false, false);
        fixture.given(click(null))
                .when(approvedReport())
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                        ConversionStatus.PENDING, REV, PAY, null, null, null, CLICKED, CLICKED.plusSeconds(3600), "postback",
                        ReviewRules.HELD_AMOUNT));
        ports.transactionIds.clear();
        ports.review = new ReviewRules(new BigDecimal("3.00"), Map.of(), false, false);
        fixture.given(click(null))
                .when(approvedReport())
                .expectEvents(recordedApproved(), new CommissionEarnedEvent(T, "aff1", "cv1", "off1", PAY, CLICKED.plusSeconds(3600)));
    }

    @Test
    void aConversionOnAFlaggedClickIsHeldWhenTheTenantSaysSo() {
        ports.review = new ReviewRules(null, Map.of(), true, false);
        fixture.given(click(true))
                .when(approvedReport())
                .expectEvents(new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1",
                        ConversionStatus.PENDING, REV, PAY, null, null, null, CLICKED, CLICKED.plusSeconds(3600), "postback",
                        ReviewRules.HELD_FLAGGED_CLICK));
        ports.transactionIds.clear();
        fixture.given(click(false))
                .when(approvedReport())
                .expectEvents(recordedApproved(), new CommissionEarnedEvent(T, "aff1", "cv1", "off1", PAY, CLICKED.plusSeconds(3600)));
    }

    private static ConversionRecordedEvent recordedApproved() {
        return new ConversionRecordedEvent(T, "cv1", "c1", "off1", "aff1", "adv1", "lead", "T1", ConversionStatus.APPROVED,
                REV, PAY, null, null, null, CLICKED, CLICKED.plusSeconds(3600), "postback", null);
    }
}
