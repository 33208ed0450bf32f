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
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.conversion.SmartLinkContext;
import io.affnet.api.ledger.CommissionEarnedEvent;
import io.affnet.api.ledger.CommissionReversedEvent;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A click and everything reported for it. It is born from {@link ClickRecordedEvent} (appended by the
 * click path's group commit, not by a command) and decides each reported conversion with the terms it
 * captured then: attribution window, goal, deduplication by transaction id, fraud rules, revenue and
 * payout. What needs knowledge beyond one click (caps across clicks, exchange rates, the tenant's
 * rules) is resolved by the intake and passed in.
 */
public class Click {

    @AggregateIdentifier
    private String clickId;
    private TenantId tenantId;
    private String offerId;
    private String affiliateId;
    private OfferTerms terms;
    private List<PayoutOverride> overrides;
    private Instant clickedAt;
    private ClickOutcome outcome;
    private SmartLinkContext smartLink;
    private final Map<String, Credited> credited = new HashMap<>();
    private final Map<String, Integer> perGoal = new HashMap<>();

    private record Credited(String conversionId, String goal, String transactionId, ConversionStatus status,
                            Money revenue, Money payout) {
        Credited with(ConversionStatus next) {
            return new Credited(conversionId, goal, transactionId, next, revenue, payout);
        }
    }

    protected Click() {
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public String offerId() {
        return offerId;
    }

    public String affiliateId() {
        return affiliateId;
    }

    public OfferTerms terms() {
        return terms;
    }

    public String offerCurrency() {
        return terms == null ? null : terms.currency();
    }

    public Instant clickedAt() {
        return clickedAt;
    }

    /** Resolves which goal a report is for: the named one, or the offer's first when none is named. */
    public Goal goalFor(String name) {
        if (terms == null || terms.goals().isEmpty()) {
            return null;
        }
        return name == null || name.isBlank() ? terms.goals().get(0) : terms.goal(name);
    }

    /**
     * Decides a report without changing anything. {@code rate} converts the sale into the offer
     * currency when it came in another one (null otherwise, or when none could be found).
     */
    public ConversionDecision decide(ConversionInput input, FraudRules fraud, ExchangeRate rate, String affiliateEmailHash) {
        if (terms == null || outcome == ClickOutcome.NOT_SERVED && offerId == null) {
            return new ConversionDecision.Reject(RejectionReason.NOT_SERVED, input.goal());
        }
        Goal goal = goalFor(input.goal());
        if (goal == null) {
            return new ConversionDecision.Reject(RejectionReason.UNKNOWN_GOAL, input.goal());
        }
        ConversionStatus reported = input.status() == null ? ConversionStatus.APPROVED : input.status();
        Credited existing = credited.get(key(goal.name(), input.transactionId()));
        if (existing != null) {
            if (existing.status() == reported) {
                return new ConversionDecision.Duplicate(existing.conversionId(), goal.name());
            }
            if (!existing.status().canBecome(reported)) {
                return new ConversionDecision.Reject(RejectionReason.INVALID_STATUS_CHANGE, goal.name());
            }
            return new ConversionDecision.ChangeStatus(existing.conversionId(), existing.status(), reported);
        }
        if (reported == ConversionStatus.REVERSED || reported == ConversionStatus.REJECTED) {
            // A refund or decline for a conversion never credited: nothing to undo; record why.
            return new ConversionDecision.Reject(RejectionReason.INVALID_STATUS_CHANGE, goal.name());
        }
        Duration age = Duration.between(clickedAt, input.receivedAt());
        if (age.isNegative() || age.getSeconds() > terms.attributionWindowSeconds()) {
            return new ConversionDecision.Reject(RejectionReason.OUTSIDE_WINDOW, goal.name());
        }
        String flag = null;
        RejectionReason fraudReason = fraud(fraud, age, goal, input, affiliateEmailHash);
        if (fraudReason != null) {
            if (!fraud.flagOnly()) {
                return new ConversionDecision.Reject(fraudReason, goal.name());
            }
            flag = fraudReason.code();
            reported = ConversionStatus.PENDING;
        }
        Money originalSale = null;
        Money sale = null;
        if (input.saleAmount() != null) {
            String saleCurrency = input.saleCurrency() == null ? terms.currency() : input.saleCurrency();
            originalSale = Money.ofMajor(input.saleAmount(), saleCurrency);
            if (saleCurrency.equals(terms.currency())) {
                sale = originalSale;
            } else if (rate == null) {
                return new ConversionDecision.Reject(RejectionReason.CURRENCY_UNSUPPORTED, goal.name());
            } else {
                BigDecimal converted = input.saleAmount().multiply(new BigDecimal(rate.rate()));
                sale = Money.ofMajor(converted.setScale(8, RoundingMode.HALF_EVEN), terms.currency());
            }
        }
        Money revenue = Commission.revenue(goal, sale, terms.currency());
        Money payout = Commission.payout(goal, overrides, offerId, sale, terms.currency());
        return new ConversionDecision.Record(goal.name(), input.transactionId(), reported, revenue, payout, sale,
                originalSale, flag);
    }

    private RejectionReason fraud(FraudRules fraud, Duration age, Goal goal, ConversionInput input, String affiliateEmailHash) {
        if (fraud == null) {
            return null;
        }
        if (fraud.minSecondsToConvert() > 0 && age.getSeconds() < fraud.minSecondsToConvert()) {
            return RejectionReason.FRAUD_TOO_FAST;
        }
        if (fraud.maxConversionsPerClickGoal() > 0
                && perGoal.getOrDefault(goal.name(), 0) >= fraud.maxConversionsPerClickGoal()) {
            return RejectionReason.FRAUD_TOO_MANY_PER_CLICK;
        }
        if (fraud.selfReferral() && affiliateEmailHash != null && affiliateEmailHash.equals(input.customerEmailHash())) {
            return RejectionReason.FRAUD_SELF_REFERRAL;
        }
        return null;
    }

    /** Applies a decision (after the intake has claimed any cap slots a new conversion needs). */
    public void enact(ConversionDecision decision, String conversionId, ConversionInput input, ExchangeRate rate) {
        if (decision instanceof ConversionDecision.Record r) {
            apply(new ConversionRecordedEvent(tenantId, conversionId, clickId, offerId, affiliateId,
                    terms.advertiserId(), r.goal(), r.transactionId(), r.status(), r.revenue(), r.payout(), r.sale(),
                    r.originalSale(), r.sale() == r.originalSale() ? null : rate, clickedAt, input.receivedAt(),
                    input.channel(), r.flagged(), smartLink));
            if (r.status() == ConversionStatus.APPROVED) {
                apply(new CommissionEarnedEvent(tenantId, affiliateId, conversionId, offerId, r.payout(), input.receivedAt()));
            }
        } else if (decision instanceof ConversionDecision.ChangeStatus c) {
            Credited was = credited.values().stream().filter(x -> x.conversionId().equals(c.conversionId()))
                    .findFirst().orElseThrow();
            apply(new ConversionStatusChangedEvent(tenantId, c.conversionId(), clickId, offerId, affiliateId,
                    was.goal(), was.transactionId(), c.from(), c.to(), was.revenue(), was.payout(), input.receivedAt()));
            if (c.to() == ConversionStatus.APPROVED) {
                apply(new CommissionEarnedEvent(tenantId, affiliateId, c.conversionId(), offerId, was.payout(), input.receivedAt()));
            } else if (c.to() == ConversionStatus.REVERSED) {
                apply(new CommissionReversedEvent(tenantId, affiliateId, c.conversionId(), offerId,
                        was.payout().negate(), input.receivedAt()));
            }
        } else if (decision instanceof ConversionDecision.Reject r) {
            apply(new ConversionRejectedEvent(tenantId, clickId, offerId, affiliateId, r.goal(), input.transactionId(),
                    r.reason(), input.receivedAt(), input.channel()));
        } else if (decision instanceof ConversionDecision.Duplicate d) {
            // Nothing changes; the refused repeat is kept so the tenant sees what the advertiser sent.
            apply(new ConversionRejectedEvent(tenantId, clickId, offerId, affiliateId, d.goal(), input.transactionId(),
                    RejectionReason.DUPLICATE_TRANSACTION, input.receivedAt(), input.channel()));
        }
    }

    private static String key(String goal, String transactionId) {
        return goal + '\u0000' + (transactionId == null ? "" : transactionId);
    }

    @EventSourcingHandler
    void on(ClickRecordedEvent event) {
        this.clickId = event.clickId();
        this.tenantId = event.tenantId();
        this.offerId = event.offerId();
        this.affiliateId = event.affiliateId();
        this.terms = event.terms();
        this.overrides = event.payoutOverrides();
        this.clickedAt = event.clickedAt();
        this.outcome = event.outcome();
        if (event.decision() != null && event.outcome() == ClickOutcome.OFFER && event.offerId() != null) {
            this.smartLink = new SmartLinkContext(event.linkId(), event.country() == null ? "?" : event.country(),
                    event.deviceClass(), event.subs() == null ? "?" : event.subs().getOrDefault("source", "?"));
        }
    }

    @EventSourcingHandler
    void on(ConversionRecordedEvent event) {
        credited.put(key(event.goal(), event.transactionId()), new Credited(event.conversionId(), event.goal(),
                event.transactionId(), event.status(), event.revenue(), event.payout()));
        perGoal.merge(event.goal(), 1, Integer::sum);
    }

    @EventSourcingHandler
    void on(ConversionStatusChangedEvent event) {
        credited.computeIfPresent(key(event.goal(), event.transactionId()), (k, c) -> c.with(event.to()));
    }
}
