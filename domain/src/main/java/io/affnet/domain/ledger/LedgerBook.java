package io.affnet.domain.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.EarningAdjustedEvent;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.api.ledger.EarningReversedEvent;
import io.affnet.api.ledger.HoldReleasedEvent;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerAccount;
import io.affnet.api.ledger.LedgerPosted;
import io.affnet.api.ledger.Posting;
import io.affnet.api.payout.PayoutRefusedEvent;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.PayoutStateChangedEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.affnet.api.ledger.LedgerAccount.ADVERTISER_RECEIVABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_AVAILABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_IN_PAYOUT;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PAID;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PENDING;
import static io.affnet.api.ledger.LedgerAccount.FX_GAIN_LOSS;
import static io.affnet.api.ledger.LedgerAccount.NETWORK_MARGIN;

/**
 * An affiliate's sub-ledger (all its currencies) as pure state and decisions: each {@code decide}
 * method returns the event a command leads to (or nothing, when the command is a repeat or stale
 * news), and {@link #apply} is the only place state changes. The aggregate wraps it; the property
 * tests drive it directly.
 *
 * <p>Postings (positive credits, negative debits; see {@link LedgerAccount}):
 * <ul>
 *   <li>earning: receivable −revenue, pending +payout, margin +(revenue − payout)</li>
 *   <li>hold release: pending −payout, available +payout</li>
 *   <li>reversal: (pending or available) −payout, receivable +revenue, margin −(revenue − payout)</li>
 *   <li>adjustment of an approved conversion (by Δpayout, Δrevenue): (pending in hold, else available) +Δpayout,
 *       receivable −Δrevenue, margin +(Δrevenue − Δpayout); a later release or reversal moves the adjusted payout</li>
 *   <li>payout reserved: available −amount, in payout[processor] +amount; in another currency through
 *       FX: available −amount, FX +amount (earned currency); FX −paid, in payout +paid (paid currency)</li>
 *   <li>paid: in payout −paid, paid +paid</li>
 *   <li>failed (from clearing), returned or reversed (from paid, or from clearing if never seen paid):
 *       the reservation backwards, from where the money is, back to available</li>
 * </ul>
 */
public final class LedgerBook {

    private record Earned(Money revenue, Money payout, Instant holdUntil, boolean held, boolean reversed) {
    }

    /** An earning still in its hold, ordered by the end of the hold (then by conversion). */
    private record Held(Instant until, String conversionId) {
    }

    private static final java.util.Comparator<Held> BY_HOLD_END =
            java.util.Comparator.comparing(Held::until).thenComparing(Held::conversionId);

    private record Payout(PayoutRunItem item, String runId, PayoutState state) {
    }

    private final Map<String, Earned> earned = new HashMap<>();
    /** The earnings in hold (earned, neither released nor reversed), by the end of their hold. */
    private final java.util.NavigableSet<Held> inHold = new java.util.TreeSet<>(BY_HOLD_END);
    /** The adjustments already posted, by their ids (a redelivered adjustment posts nothing). */
    private final java.util.Set<String> adjustments = new java.util.HashSet<>();
    private final Map<String, Payout> payouts = new HashMap<>();
    private final Map<String, Map<String, Long>> balances = new HashMap<>();

    public Optional<EarningPostedEvent> earn(TenantId tenant, String affiliateId, String conversionId, String offerId,
                                             Money revenue, Money payout, Duration hold, Instant at) {
        if (earned.containsKey(conversionId)) {
            return Optional.empty();
        }
        Money rev = revenue == null || !revenue.currency().equals(payout.currency()) ? payout : revenue;
        List<Posting> postings = new ArrayList<>();
        postings.add(Posting.debit(ADVERTISER_RECEIVABLE, rev.minor()));
        postings.add(Posting.credit(AFFILIATE_PENDING, payout.minor()));
        long margin = Math.subtractExact(rev.minor(), payout.minor());
        if (margin != 0) {
            postings.add(Posting.credit(NETWORK_MARGIN, margin));
        }
        Instant holdUntil = at.plus(hold.isNegative() ? Duration.ZERO : hold);
        return Optional.of(new EarningPostedEvent(tenant, affiliateId, conversionId, offerId, rev, payout, holdUntil,
                new JournalEntry("earn:" + conversionId, payout.currency(), postings), at));
    }

    public Optional<HoldReleasedEvent> release(TenantId tenant, String affiliateId, String conversionId, Instant at) {
        Earned e = earned.get(conversionId);
        if (e == null || !e.held() || e.reversed()) {
            return Optional.empty();
        }
        long p = e.payout().minor();
        return Optional.of(new HoldReleasedEvent(tenant, affiliateId, conversionId,
                new JournalEntry("release:" + conversionId, e.payout().currency(),
                        List.of(Posting.debit(AFFILIATE_PENDING, p), Posting.credit(AFFILIATE_AVAILABLE, p))), at));
    }

    public Optional<EarningReversedEvent> reverse(TenantId tenant, String affiliateId, String conversionId, Instant at) {
        Earned e = earned.get(conversionId);
        if (e == null || e.reversed()) {
            return Optional.empty();
        }
        long p = e.payout().minor();
        List<Posting> postings = new ArrayList<>();
        postings.add(Posting.debit(e.held() ? AFFILIATE_PENDING : AFFILIATE_AVAILABLE, p));
        postings.add(Posting.credit(ADVERTISER_RECEIVABLE, e.revenue().minor()));
        long margin = Math.subtractExact(e.revenue().minor(), p);
        if (margin != 0) {
            postings.add(Posting.debit(NETWORK_MARGIN, margin));
        }
        return Optional.of(new EarningReversedEvent(tenant, affiliateId, conversionId, !e.held(),
                new JournalEntry("reverse:" + conversionId, e.payout().currency(), postings), at));
    }

    /**
     * An approved conversion's earning moves to new amounts: one entry of the difference, or nothing when the
     * adjustment was posted already, the earning is unknown (nothing earned here) or reversed, or nothing moves.
     * The amounts are in the earning's currency (an offer's conversion keeps its currency); another currency
     * posts nothing.
     */
    public Optional<EarningAdjustedEvent> adjust(TenantId tenant, String affiliateId, String conversionId, String adjustmentId,
                                                 Money revenue, Money payout, Instant at) {
        Earned e = earned.get(conversionId);
        if (e == null || e.reversed() || adjustmentId == null || adjustments.contains(adjustmentId) || payout == null
                || !payout.currency().equals(e.payout().currency())) {
            return Optional.empty();
        }
        Money rev = revenue == null || !revenue.currency().equals(payout.currency()) ? payout : revenue;
        long payoutDelta = Math.subtractExact(payout.minor(), e.payout().minor());
        long revenueDelta = Math.subtractExact(rev.minor(), e.revenue().minor());
        if (payoutDelta == 0 && revenueDelta == 0) {
            return Optional.empty();
        }
        List<Posting> postings = new ArrayList<>();
        if (revenueDelta != 0) {
            postings.add(Posting.debit(ADVERTISER_RECEIVABLE, revenueDelta));
        }
        if (payoutDelta != 0) {
            postings.add(Posting.credit(e.held() ? AFFILIATE_PENDING : AFFILIATE_AVAILABLE, payoutDelta));
        }
        long margin = Math.subtractExact(revenueDelta, payoutDelta);
        if (margin != 0) {
            postings.add(Posting.credit(NETWORK_MARGIN, margin));
        }
        return Optional.of(new EarningAdjustedEvent(tenant, affiliateId, conversionId, adjustmentId, rev, payout, !e.held(),
                new JournalEntry("adjust:" + conversionId + ":" + adjustmentId, payout.currency(), postings), at));
    }

    /** Reserves a run item, or refuses it (I3: the available balance never goes below zero by a payout). */
    public Optional<Object> reserve(TenantId tenant, String affiliateId, String runId, PayoutRunItem item,
                                    boolean negativeBlocks, Instant at) {
        if (payouts.containsKey(item.payoutId())) {
            return Optional.empty();
        }
        Money amount = item.amount();
        String refusal = null;
        if (amount.minor() <= 0 || item.paid().minor() <= 0) {
            refusal = "amount must be positive";
        } else if (negativeBlocks && balances.keySet().stream().anyMatch(c -> available(c) < 0)) {
            refusal = "a negative available balance blocks payouts";
        } else if (available(amount.currency()) < amount.minor()) {
            refusal = "available balance " + available(amount.currency()) + " is below " + amount.minor();
        }
        if (refusal != null) {
            return Optional.of(new PayoutRefusedEvent(tenant, affiliateId, item.payoutId(), runId, refusal, at));
        }
        return Optional.of(new PayoutReservedEvent(tenant, affiliateId, item.payoutId(), runId, item,
                move(item, "reserve", AFFILIATE_AVAILABLE, AFFILIATE_IN_PAYOUT), at));
    }

    /** The processor's news about a payout: a state change with its entries, or nothing (repeat, stale, unknown). */
    public Optional<PayoutStateChangedEvent> outcome(TenantId tenant, String affiliateId, String payoutId, PayoutState to,
                                                     String reference, String batchReference, String reason, Instant at) {
        Payout p = payouts.get(payoutId);
        if (p == null || !p.state().canMoveTo(to)) {
            return Optional.empty();
        }
        PayoutRunItem item = p.item();
        List<JournalEntry> entries = switch (to) {
            case SENT, RESERVED -> List.of();
            case PAID -> List.of(new JournalEntry("paid:" + payoutId, item.paid().currency(), List.of(
                    new Posting(AFFILIATE_IN_PAYOUT, item.processor(), Math.negateExact(item.paid().minor())),
                    Posting.credit(AFFILIATE_PAID, item.paid().minor()))));
            case FAILED, RETURNED, REVERSED -> p.state() == PayoutState.PAID
                    ? move(item, to.name().toLowerCase(java.util.Locale.ROOT), AFFILIATE_PAID, AFFILIATE_AVAILABLE, true)
                    : move(item, to.name().toLowerCase(java.util.Locale.ROOT), AFFILIATE_IN_PAYOUT, AFFILIATE_AVAILABLE, true);
        };
        return Optional.of(new PayoutStateChangedEvent(tenant, affiliateId, payoutId, p.runId(), item.processor(),
                p.state(), to, reference, batchReference, reason, entries, at, item.paid()));
    }

    private List<JournalEntry> move(PayoutRunItem item, String kind, LedgerAccount from, LedgerAccount to) {
        return move(item, kind, from, to, false);
    }

    /**
     * Moves a payout's money between the earned-currency account {@code from} and the paid-currency
     * account {@code to} (forwards), or from the paid-currency {@code from} back to the earned-currency
     * {@code to} ({@code backwards}), through the FX account when the currencies differ.
     */
    private static List<JournalEntry> move(PayoutRunItem item, String kind, LedgerAccount from, LedgerAccount to,
                                           boolean backwards) {
        String id = kind + ":" + item.payoutId();
        Money earnedSide = item.amount();
        Money paidSide = item.paid();
        String processor = item.processor();
        String fromQualifier = from == AFFILIATE_IN_PAYOUT ? processor : "";
        String toQualifier = to == AFFILIATE_IN_PAYOUT ? processor : "";
        Money fromMoney = backwards ? paidSide : earnedSide;
        Money toMoney = backwards ? earnedSide : paidSide;
        if (fromMoney.currency().equals(toMoney.currency())) {
            return List.of(new JournalEntry(id, fromMoney.currency(), List.of(
                    new Posting(from, fromQualifier, Math.negateExact(fromMoney.minor())),
                    new Posting(to, toQualifier, toMoney.minor()))));
        }
        return List.of(
                new JournalEntry(id + ":" + fromMoney.currency(), fromMoney.currency(), List.of(
                        new Posting(from, fromQualifier, Math.negateExact(fromMoney.minor())),
                        Posting.credit(FX_GAIN_LOSS, fromMoney.minor()))),
                new JournalEntry(id + ":" + toMoney.currency(), toMoney.currency(), List.of(
                        Posting.debit(FX_GAIN_LOSS, toMoney.minor()),
                        new Posting(to, toQualifier, toMoney.minor()))));
    }

    public void apply(Object event) {
        if (event instanceof EarningPostedEvent e) {
            earned.put(e.conversionId(), new Earned(e.revenue(), e.payout(), e.holdUntil(), true, false));
            inHold.add(new Held(e.holdUntil(), e.conversionId()));
        } else if (event instanceof HoldReleasedEvent e) {
            earned.computeIfPresent(e.conversionId(), (k, v) -> {
                inHold.remove(new Held(v.holdUntil(), k));
                return new Earned(v.revenue(), v.payout(), v.holdUntil(), false, false);
            });
        } else if (event instanceof EarningAdjustedEvent e) {
            adjustments.add(e.adjustmentId());
            earned.computeIfPresent(e.conversionId(),
                    (k, v) -> new Earned(e.revenue(), e.payout(), v.holdUntil(), v.held(), v.reversed()));
        } else if (event instanceof EarningReversedEvent e) {
            earned.computeIfPresent(e.conversionId(), (k, v) -> {
                inHold.remove(new Held(v.holdUntil(), k));
                return new Earned(v.revenue(), v.payout(), v.holdUntil(), v.held(), true);
            });
        } else if (event instanceof PayoutReservedEvent e) {
            payouts.put(e.payoutId(), new Payout(e.item(), e.runId(), PayoutState.RESERVED));
        } else if (event instanceof PayoutStateChangedEvent e) {
            payouts.computeIfPresent(e.payoutId(), (k, v) -> new Payout(v.item(), v.runId(), e.to()));
        }
        if (event instanceof LedgerPosted posted) {
            for (JournalEntry entry : posted.entries()) {
                Map<String, Long> accounts = balances.computeIfAbsent(entry.currency(), c -> new HashMap<>());
                for (Posting p : entry.postings()) {
                    accounts.merge(key(p.account(), p.qualifier()), p.minor(), Math::addExact);
                }
            }
        }
    }

    /** The earliest end of a hold among the earnings still in hold (neither released nor reversed), if any. */
    public Optional<Instant> earliestHoldEnd() {
        return inHold.isEmpty() ? Optional.empty() : Optional.of(inHold.first().until());
    }

    /**
     * The releases of every earning still in hold whose hold ends at or before {@code t}, earliest first, each posted
     * at the end of its own hold (as the deadline of that one earning would post it), to be applied in this order.
     */
    public List<HoldReleasedEvent> releasesDueBy(TenantId tenant, String affiliateId, Instant t) {
        List<HoldReleasedEvent> due = new ArrayList<>();
        for (Held h : inHold) {
            if (h.until().isAfter(t)) {
                break;
            }
            release(tenant, affiliateId, h.conversionId(), h.until()).ifPresent(due::add);
        }
        return due;
    }

    /** The balance of an account in a currency (signed as posted: credit-normal accounts are positive). */
    public long balance(String currency, LedgerAccount account, String qualifier) {
        return balances.getOrDefault(currency, Map.of()).getOrDefault(key(account, qualifier), 0L);
    }

    /** The sum of an account over all qualifiers (e.g. in payout across processors). */
    public long balance(String currency, LedgerAccount account) {
        String prefix = account.name() + "/";
        return balances.getOrDefault(currency, Map.of()).entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).reduce(0L, Math::addExact);
    }

    public long available(String currency) {
        return balance(currency, AFFILIATE_AVAILABLE, "");
    }

    public Optional<PayoutState> payoutState(String payoutId) {
        return Optional.ofNullable(payouts.get(payoutId)).map(Payout::state);
    }

    public java.util.Set<String> currencies() {
        return balances.keySet();
    }

    private static String key(LedgerAccount account, String qualifier) {
        return account.name() + "/" + qualifier;
    }
}
