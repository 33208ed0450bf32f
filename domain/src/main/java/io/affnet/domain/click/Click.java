package io.affnet.domain.click;

import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionModeratedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.ModerateConversionCommand;
import io.affnet.api.conversion.ModerationAction;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.api.conversion.SmartLinkContext;
import io.affnet.api.ledger.CommissionEarnedEvent;
import io.affnet.api.ledger.CommissionReversedEvent;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.conversion.RecordConversionCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Currency;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A click and everything reported for it. It is born from {@link ClickRecordedEvent} (appended by the
 * click path's group commit, not by a command) and decides each reported conversion with the terms it
 * captured then: attribution window, goal, deduplication by transaction id, fraud rules, caps, revenue
 * and payout. What needs knowledge beyond one click comes in as handler parameters, ports the platform
 * implements over its stores: {@link ConversionContext} (the tenant's state and rules),
 * {@link ExchangeRateSource}, {@link TransactionIds} (transaction ids across clicks) and {@link CapLedger}.
 */
public class Click {

    /**
     * How far a conversion may seem to precede its click and still be credited (as converted at once): the
     * clocks of the nodes that took the click and the postback disagree, or one was stepped back (issue 17,
     * clock-step scenario: +5 min then -5 min). Beyond it, OUTSIDE_WINDOW as before. The too-fast fraud rule
     * does not judge such a conversion (its real age is unknown).
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(15);

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
    /** The click path flagged this click (traffic from a hosting network on an offer that flags it). */
    private boolean flaggedClick;
    private final Map<String, Credited> credited = new HashMap<>();
    private final Map<String, Integer> perGoal = new HashMap<>();
    /** Transactions the advertiser declined before any credit (goal and transaction id). */
    private final java.util.Set<String> declined = new java.util.HashSet<>();

    private record Credited(String conversionId, String goal, String transactionId, ConversionStatus status,
                            Money revenue, Money payout) {
        Credited with(ConversionStatus next) {
            return new Credited(conversionId, goal, transactionId, next, revenue, payout);
        }

        Credited with(Money newRevenue, Money newPayout) {
            return new Credited(conversionId, goal, transactionId, status, newRevenue, newPayout);
        }
    }

    protected Click() {
    }

    /**
     * Decides a reported conversion and records the outcome: a credited conversion (or a status change),
     * or the rejection with its reason, a duplicate included. The refusals that record nothing are
     * thrown: {@link UnknownClickException} for a click the reporter may not see, and a
     * {@link ConversionRefusedException} for a suspended tenant or a sender outside the allowlist. A browser
     * pixel is judged first by the offer's pixel rule ({@link PixelPolicy}); a refused one is recorded.
     * Values the command carries (fraud rules, a rate, the affiliate's email hash) win over the ports'.
     */
    @CommandHandler
    public ConversionDecision handle(RecordConversionCommand command, ConversionContext context,
                                     ExchangeRateSource rates, TransactionIds transactionIds, CapLedger caps) {
        if (command.tenantId() != null && !command.tenantId().equals(tenantId)
                || command.expectedOfferId() != null && !command.expectedOfferId().equals(offerId)
                || command.advertiserScope() != null
                        && (terms == null || !command.advertiserScope().equals(terms.advertiserId()))) {
            // For an advertiser's own token, another advertiser's click is as unknown as another tenant's.
            throw new UnknownClickException(command.clickId());
        }
        if (!context.active(tenantId)) {
            throw new ConversionRefusedException.TenantSuspended(tenantId);
        }
        ConversionInput input = command.input();
        if (command.pixel() != null) {
            PixelPolicy.Verdict verdict = PixelPolicy.judge(context.pixel(tenantId, offerId),
                    terms != null && context.advertiserHasAllowlist(tenantId, terms.advertiserId()), command.pixel(),
                    input, terms == null ? null : terms.currency());
            if (verdict.refused()) {
                ConversionDecision refusal = new ConversionDecision.Reject(verdict.refusal(), input.goal());
                enact(refusal, command.conversionId(), input, null);
                return refusal;
            }
            input = verdict.admitted();
        }
        if (command.senderIp() != null && terms != null
                && !context.admitsSender(tenantId, terms.advertiserId(), command.senderIp())) {
            throw new ConversionRefusedException.SenderNotAllowed(tenantId);
        }
        ExchangeRate rate = command.exchangeRate();
        if (rate == null && input.saleAmount() != null && input.saleCurrency() != null && terms != null
                && !input.saleCurrency().equals(terms.currency())) {
            rate = rates.rate(input.saleCurrency(), terms.currency()).orElse(null);
        }
        FraudRules fraud = command.fraudRules() != null ? command.fraudRules() : context.fraudRules(tenantId);
        String emailHash = command.affiliateEmailHash() != null ? command.affiliateEmailHash()
                : context.affiliateEmailHash(tenantId, affiliateId);
        ConversionDecision decision = decide(input, fraud, rate, emailHash);
        if (command.pixel() != null) {
            decision = PixelPolicy.createOnly(decision, input.goal());
        }
        if (decision instanceof ConversionDecision.Record record && record.flagged() == null) {
            String held = context.reviewRules(tenantId).hold(offerId, record.payout().toMajor(), flaggedClick);
            if (held != null) {
                decision = record.held(held);
            }
        }
        if (decision instanceof ConversionDecision.Record record) {
            decision = claim(record, command, context, transactionIds, caps);
        }
        enact(decision, command.conversionId(), input, rate);
        return decision;
    }

    /**
     * A new conversion takes its cap slots and its transaction id across all clicks, or becomes a
     * duplicate or a capped rejection. The cap counters are locked first and only incremented once the
     * id is claimed, so nothing is ever taken back: a capped report leaves its id free for a later one.
     */
    private ConversionDecision claim(ConversionDecision.Record record, RecordConversionCommand command,
                                     ConversionContext context, TransactionIds transactionIds, CapLedger caps) {
        Map<String, Long> limits = CapLedger.counters(tenantId.value(), offerId, affiliateId, terms.caps(),
                command.input().receivedAt().atZone(context.zone(tenantId)).toLocalDate());
        CapLedger.Hold hold = limits.isEmpty() ? CapLedger.NONE : caps.hold(limits);
        String txn = record.transactionId();
        if (hold.full()) {
            return txn != null && transactionIds.claimed(tenantId, offerId, record.goal(), txn)
                    ? new ConversionDecision.Duplicate(null, record.goal())
                    : new ConversionDecision.Reject(RejectionReason.CAP_REACHED, record.goal());
        }
        if (txn != null && !transactionIds.claim(tenantId, offerId, record.goal(), txn, clickId, command.conversionId())) {
            return new ConversionDecision.Duplicate(null, record.goal());
        }
        hold.take();
        return record;
    }

    /** Resolves which goal a report is for: the named one, or the offer's first when none is named. */
    Goal goalFor(String name) {
        if (terms == null || terms.goals().isEmpty()) {
            return null;
        }
        return name == null || name.isBlank() ? terms.goals().get(0) : terms.goal(name);
    }

    /**
     * Decides a report without changing anything. {@code rate} converts the sale into the offer
     * currency when it came in another one (null otherwise, or when none could be found).
     */
    ConversionDecision decide(ConversionInput input, FraudRules fraud, ExchangeRate rate, String affiliateEmailHash) {
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
        if (reported == ConversionStatus.REJECTED) {
            // The advertiser declines a transaction never credited: record it as declined, and remember it.
            return new ConversionDecision.Reject(RejectionReason.DECLINED, goal.name());
        }
        if (reported == ConversionStatus.REVERSED) {
            // A refund for a conversion never credited: nothing to undo; record why.
            return new ConversionDecision.Reject(RejectionReason.INVALID_STATUS_CHANGE, goal.name());
        }
        if (declined.contains(key(goal.name(), input.transactionId())) && (fraud == null || !fraud.allowReapproval())) {
            // Approving what was declined credits nothing unless the tenant allows re-approval.
            return new ConversionDecision.Reject(RejectionReason.DECLINED, goal.name());
        }
        Duration age = Duration.between(clickedAt, input.receivedAt());
        boolean skewed = age.isNegative() && age.compareTo(CLOCK_SKEW.negated()) >= 0;
        if (skewed) {
            // The node that took the postback has a clock behind the one that took the click (or its own clock was
            // stepped back): a conversion cannot precede its click, so it is in the window; its real age is
            // unknown, so the too-fast rule does not judge it.
            age = Duration.ZERO;
        }
        if (age.isNegative() || age.getSeconds() > terms.attributionWindowSeconds()) {
            return new ConversionDecision.Reject(RejectionReason.OUTSIDE_WINDOW, goal.name());
        }
        String flag = null;
        RejectionReason fraudReason = fraud(fraud, skewed ? null : age, goal, input, affiliateEmailHash);
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
        if (fraud.minSecondsToConvert() > 0 && age != null && age.getSeconds() < fraud.minSecondsToConvert()) {
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

    private void enact(ConversionDecision decision, String conversionId, ConversionInput input, ExchangeRate rate) {
        if (decision instanceof ConversionDecision.Record r) {
            apply(new ConversionRecordedEvent(tenantId, conversionId, clickId, offerId, affiliateId,
                    terms.advertiserId(), r.goal(), r.transactionId(), r.status(), r.revenue(), r.payout(), r.sale(),
                    r.originalSale(), r.sale() == r.originalSale() ? null : rate, clickedAt, input.receivedAt(),
                    input.channel(), r.flagged(), smartLink));
            if (r.status() == ConversionStatus.APPROVED) {
                apply(new CommissionEarnedEvent(tenantId, affiliateId, conversionId, offerId, r.payout(), input.receivedAt()));
            }
        } else if (decision instanceof ConversionDecision.ChangeStatus c) {
            changeStatus(creditedAs(c.conversionId()), c.to(), input.receivedAt());
        } else if (decision instanceof ConversionDecision.Reject r) {
            apply(new ConversionRejectedEvent(tenantId, clickId, offerId, affiliateId, r.goal(), input.transactionId(),
                    r.reason(), input.receivedAt(), input.channel()));
        } else if (decision instanceof ConversionDecision.Duplicate d) {
            // Nothing changes; the refused repeat is kept so the tenant sees what the advertiser sent.
            apply(new ConversionRejectedEvent(tenantId, clickId, offerId, affiliateId, d.goal(), input.transactionId(),
                    RejectionReason.DUPLICATE_TRANSACTION, input.receivedAt(), input.channel()));
        }
    }

    /** A credited conversion moves on: the same events whether a postback or a moderator moved it. */
    private void changeStatus(Credited was, ConversionStatus to, Instant at) {
        apply(new ConversionStatusChangedEvent(tenantId, was.conversionId(), clickId, offerId, affiliateId,
                was.goal(), was.transactionId(), was.status(), to, was.revenue(), was.payout(), at));
        if (to == ConversionStatus.APPROVED) {
            apply(new CommissionEarnedEvent(tenantId, affiliateId, was.conversionId(), offerId, was.payout(), at));
        } else if (to == ConversionStatus.REVERSED) {
            apply(new CommissionReversedEvent(tenantId, affiliateId, was.conversionId(), offerId, was.payout().negate(), at));
        }
    }

    private Credited creditedAs(String conversionId) {
        return credited.values().stream().filter(x -> x.conversionId().equals(conversionId)).findFirst().orElse(null);
    }

    /**
     * The network moderates one of this click's credited conversions: approve or reject a pending one,
     * reverse an approved one, or adjust the amounts of a pending or approved one. The status moves exactly as a
     * postback would move it ({@link ConversionStatusChangedEvent} and its commission event), preceded by a
     * {@link ConversionModeratedEvent} with the actor and the reason. A conversion of another tenant, or
     * not on the moderating advertiser's offers, is as unknown as a missing one.
     */
    @CommandHandler
    public Moderated handle(ModerateConversionCommand command) {
        if (command.tenantId() == null || !command.tenantId().equals(tenantId)
                || command.advertiserScope() != null && (terms == null || !command.advertiserScope().equals(terms.advertiserId()))) {
            throw new ModerationRefusedException.UnknownConversion(command.conversionId());
        }
        Credited was = command.conversionId() == null ? null : creditedAs(command.conversionId());
        if (was == null) {
            throw new ModerationRefusedException.UnknownConversion(command.conversionId());
        }
        ModerationAction action = command.action();
        String reason = ModerationRequests.check(action, command.reason(), command.revenue(), command.payout());
        Instant at = command.at() == null ? Instant.now() : command.at();
        if (action == ModerationAction.ADJUST) {
            // A pending conversion takes the new amounts for its later approval; an approved one is on the affiliate's
            // ledger already, which moves by the difference when it reads the adjustment (LedgerIntake, EarningAdjustedEvent).
            if (was.status() != ConversionStatus.PENDING && was.status() != ConversionStatus.APPROVED) {
                throw new ModerationRefusedException.NotAllowed("only a pending or approved conversion can be adjusted; this one is "
                        + was.status().name().toLowerCase(java.util.Locale.ROOT));
            }
            Money revenue = command.revenue() == null ? was.revenue() : amount("revenue", command.revenue(), was.revenue().currency());
            Money payout = command.payout() == null ? was.payout() : amount("payout", command.payout(), was.payout().currency());
            apply(new ConversionModeratedEvent(tenantId, was.conversionId(), clickId, offerId, affiliateId,
                    terms == null ? null : terms.advertiserId(), action, was.status(), was.status(), reason,
                    command.actorId(), command.actorRole(), was.revenue(), was.payout(), revenue, payout, at));
            apply(new ConversionAdjustedEvent(tenantId, was.conversionId(), clickId, offerId, affiliateId, was.goal(),
                    was.transactionId(), was.status(), was.revenue(), was.payout(), revenue, payout, at));
            return new Moderated(was.conversionId(), was.status(), was.status(), revenue, payout);
        }
        ConversionStatus to = action.target();
        if (!was.status().canBecome(to)) {
            throw new ModerationRefusedException.NotAllowed("a " + was.status().name().toLowerCase(java.util.Locale.ROOT)
                    + " conversion cannot become " + to.name().toLowerCase(java.util.Locale.ROOT));
        }
        apply(new ConversionModeratedEvent(tenantId, was.conversionId(), clickId, offerId, affiliateId,
                terms == null ? null : terms.advertiserId(), action, was.status(), to, reason, command.actorId(),
                command.actorRole(), was.revenue(), was.payout(), was.revenue(), was.payout(), at));
        changeStatus(was, to, at);
        return new Moderated(was.conversionId(), was.status(), to, was.revenue(), was.payout());
    }

    /** A moderator's amount in the offer's currency (not negative, {@link ModerationRequests}): within the intake limit, no finer than the currency. */
    private static Money amount(String field, BigDecimal value, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        if (value.stripTrailingZeros().scale() > digits) {
            throw new ModerationRefusedException.Invalid(field, field + " has more than " + digits + " decimals for " + currency);
        }
        Money money = Money.ofMajor(value, currency);
        if (!Money.withinIntakeLimit(money.minor())) {
            throw new ModerationRefusedException.Invalid(field, field + " is above the largest amount the platform takes");
        }
        return money;
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
        this.flaggedClick = Boolean.TRUE.equals(event.datacenter());
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
    void on(ConversionRejectedEvent event) {
        if (event.reason() == RejectionReason.DECLINED && event.transactionId() != null) {
            declined.add(key(event.goal(), event.transactionId()));
        }
    }

    @EventSourcingHandler
    void on(ConversionAdjustedEvent event) {
        credited.computeIfPresent(key(event.goal(), event.transactionId()), (k, c) -> c.with(event.revenue(), event.payout()));
    }

    @EventSourcingHandler
    void on(ConversionStatusChangedEvent event) {
        credited.computeIfPresent(key(event.goal(), event.transactionId()), (k, c) -> c.with(event.to()));
    }
}
