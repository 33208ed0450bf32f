package io.affnet.domain.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.api.ledger.EarningReversedEvent;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerAccount;
import io.affnet.api.ledger.LedgerPosted;
import io.affnet.api.ledger.Posting;
import io.affnet.api.payout.PayoutReservedEvent;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.PayoutStateChangedEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_AVAILABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_IN_PAYOUT;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PAID;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's invariants of PAYMENTS.md over random histories of one affiliate's ledger: earnings,
 * hold releases, reversals, adjustments of approved earnings (moderation), payout reservations (many asked at once) and processor news in any order
 * and repetition. Each history is driven through {@link LedgerBook}, exactly as the aggregate does.
 */
class LedgerInvariantsTest {

    static final TenantId T = TenantId.of("t1");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    static final List<PayoutState> NEWS = List.of(PayoutState.SENT, PayoutState.PAID, PayoutState.FAILED,
            PayoutState.RETURNED, PayoutState.REVERSED);

    /** One step of a history; ids are small so steps collide (repeats, stale news, unknown ids). */
    record Step(int kind, int id, long amount, int news) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 7),
                Arbitraries.longs().between(1, 50_000), Arbitraries.integers().between(0, NEWS.size() - 1)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    /** The ledger with the events a history produced, and the running totals the invariants compare. */
    static final class Run {
        final LedgerBook book = new LedgerBook();
        final List<Object> events = new ArrayList<>();
        final Map<String, PayoutState> last = new HashMap<>();
        long accrued;
        long reversed;

        void take(Optional<?> event) {
            event.ifPresent(e -> {
                events.add(e);
                if (e instanceof EarningPostedEvent earned) {
                    accrued = Math.addExact(accrued, earned.payout().minor());
                } else if (e instanceof io.affnet.api.ledger.EarningAdjustedEvent adjusted) {
                    // An adjustment accrues (or takes back) the difference it posts to the affiliate's accounts.
                    accrued = Math.addExact(accrued, adjusted.entry().postings().stream()
                            .filter(x -> x.account().affiliateOwned()).mapToLong(Posting::minor).sum());
                } else if (e instanceof EarningReversedEvent r) {
                    long p = r.entry().postings().stream().filter(x -> x.account().affiliateOwned())
                            .mapToLong(Posting::minor).sum();
                    reversed = Math.subtractExact(reversed, p);
                }
                book.apply(e);
            });
        }

        long bal(LedgerAccount account) {
            return book.balance("EUR", account);
        }
    }

    static Run play(List<Step> history) {
        Run run = new Run();
        history.forEach(s -> step(run, s));
        return run;
    }

    /** Applies one step and returns the events it produced. */
    static List<Object> step(Run run, Step s) {
        int from = run.events.size();
        switch (s.kind()) {
            case 0 -> run.take(run.book.earn(T, "aff1", "cv" + s.id(), "off1", new Money(s.amount() * 2, "EUR"),
                    new Money(s.amount(), "EUR"), s.amount() % 2 == 0 ? Duration.ZERO : Duration.ofDays(30), AT));
            case 1 -> run.take(run.book.release(T, "aff1", "cv" + s.id(), AT));
            case 2 -> run.take(run.book.reverse(T, "aff1", "cv" + s.id(), AT));
            case 3 -> {
                Money amount = new Money(s.amount(), "EUR");
                run.take(run.book.reserve(T, "aff1", "run1", new PayoutRunItem("po" + s.id(), "aff1",
                        s.id() % 2 == 0 ? "STRIPE" : "PAYPAL", "pm1", "acct_1", "", amount, amount, null), false, AT));
            }
            case 5 -> run.take(run.book.adjust(T, "aff1", "cv" + s.id(), "adj" + s.id() + ":" + s.news() % 3, new Money(s.amount() * 3, "EUR"),
                    new Money(s.amount(), "EUR"), AT));
            default -> run.take(run.book.outcome(T, "aff1", "po" + s.id(), NEWS.get(s.news()), "tr_" + s.id(), null,
                    null, AT));
        }
        return new ArrayList<>(run.events.subList(from, run.events.size()));
    }

    @Property
    void everyEntryBalancesInOneCurrency_I1(@ForAll("histories") List<Step> history) {
        for (Object e : play(history).events) {
            if (e instanceof LedgerPosted posted) {
                for (JournalEntry entry : posted.entries()) {
                    assertThat(entry.postings().stream().mapToLong(Posting::minor).sum()).isZero();
                    long debits = entry.postings().stream().filter(p -> p.minor() < 0).mapToLong(Posting::minor).sum();
                    long credits = entry.postings().stream().filter(p -> p.minor() > 0).mapToLong(Posting::minor).sum();
                    assertThat(credits).isEqualTo(-debits);
                }
            }
        }
    }

    @Property
    void accruedMinusReversedIsWhatTheAffiliateAccountsHold_I2(@ForAll("histories") List<Step> history) {
        Run run = play(history);
        long held = run.bal(AFFILIATE_PENDING) + run.bal(AFFILIATE_AVAILABLE) + run.bal(AFFILIATE_IN_PAYOUT)
                + run.bal(AFFILIATE_PAID);
        assertThat(run.accrued - run.reversed).isEqualTo(held);
    }

    @Property
    void noReservationOverdrawsTheAvailableBalance_I3(@ForAll("histories") List<Step> history) {
        Run run = new Run();
        for (Step s : history) {
            long before = run.book.available("EUR");
            for (Object e : step(run, s)) {
                if (e instanceof PayoutReservedEvent reserved) {
                    assertThat(reserved.item().amount().minor()).isLessThanOrEqualTo(before);
                    assertThat(run.book.available("EUR")).isGreaterThanOrEqualTo(0);
                }
            }
        }
    }

    @Property
    void concurrentRequestsForMoreThanIsAvailableReserveAtMostTheBalance_I3(
            @ForAll("amounts") List<Long> requests, @ForAll long seed) {
        LedgerBook book = new LedgerBook();
        book.earn(T, "aff1", "cv1", "off1", new Money(10_000, "EUR"), new Money(10_000, "EUR"), Duration.ZERO, AT)
                .ifPresent(book::apply);
        book.release(T, "aff1", "cv1", AT).ifPresent(book::apply);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        long reserved = 0;
        for (int i : order) {
            Money amount = new Money(requests.get(i), "EUR");
            Optional<Object> e = book.reserve(T, "aff1", "run" + i, new PayoutRunItem("po" + i, "aff1", "STRIPE", "pm1",
                    "acct_1", "", amount, amount, null), true, AT);
            if (e.isPresent() && e.get() instanceof PayoutReservedEvent r) {
                reserved += r.item().amount().minor();
            }
            e.ifPresent(book::apply);
            assertThat(book.available("EUR")).isGreaterThanOrEqualTo(0);
        }
        assertThat(reserved).isLessThanOrEqualTo(10_000);
        assertThat(book.available("EUR")).isEqualTo(10_000 - reserved);
    }

    @Provide
    Arbitrary<List<Long>> amounts() {
        return Arbitraries.longs().between(1, 6_000).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void clearingIsZeroWhenNoPayoutIsInFlight_I6(@ForAll("histories") List<Step> history) {
        Run run = play(history);
        for (int id = 0; id < 8; id++) {
            // Settle every payout still in flight with a final answer.
            run.take(run.book.outcome(T, "aff1", "po" + id, PayoutState.PAID, null, null, null, AT));
        }
        assertThat(run.bal(AFFILIATE_IN_PAYOUT)).isZero();
        assertThat(run.book.balance("EUR", AFFILIATE_IN_PAYOUT, "STRIPE")).isZero();
        assertThat(run.book.balance("EUR", AFFILIATE_IN_PAYOUT, "PAYPAL")).isZero();
    }

    @Property
    void terminalStatesAreAbsorbing_I7(@ForAll("histories") List<Step> history) {
        Map<String, PayoutState> state = new HashMap<>();
        for (Object e : play(history).events) {
            if (e instanceof PayoutReservedEvent r) {
                state.put(r.payoutId(), PayoutState.RESERVED);
            } else if (e instanceof PayoutStateChangedEvent c) {
                PayoutState before = state.get(c.payoutId());
                assertThat(before).isEqualTo(c.from());
                assertThat(before.isTerminal()).as("nothing follows a terminal state").isFalse();
                if (before == PayoutState.PAID) {
                    assertThat(c.to()).isIn(PayoutState.RETURNED, PayoutState.REVERSED);
                    assertThat(c.entries()).as("a return after payment is a new, compensating entry").isNotEmpty();
                }
                state.put(c.payoutId(), c.to());
            }
        }
    }

    @Provide
    Arbitrary<List<PayoutState>> truths() {
        return Arbitraries.of(
                List.of(PayoutState.SENT, PayoutState.PAID),
                List.of(PayoutState.SENT, PayoutState.FAILED),
                List.of(PayoutState.SENT, PayoutState.PAID, PayoutState.RETURNED),
                List.of(PayoutState.SENT, PayoutState.PAID, PayoutState.REVERSED),
                List.of(PayoutState.PAID),
                List.of(PayoutState.FAILED));
    }

    @Property
    void anyOrderAndRepetitionOfTheNewsGivesTheSameLedger_I8(@ForAll("truths") List<PayoutState> truth,
                                                              @ForAll long seed) {
        Random random = new Random(seed);
        List<PayoutState> delivered = new ArrayList<>(truth);
        int extra = random.nextInt(6);
        for (int i = 0; i < extra; i++) {
            delivered.add(truth.get(random.nextInt(truth.size())));
        }
        java.util.Collections.shuffle(delivered, random);
        assertThat(balancesAfter(delivered)).as("delivered " + delivered).isEqualTo(balancesAfter(truth));
    }

    private static List<Long> balancesAfter(List<PayoutState> news) {
        LedgerBook book = new LedgerBook();
        book.earn(T, "aff1", "cv1", "off1", new Money(900, "EUR"), new Money(900, "EUR"), Duration.ZERO, AT).ifPresent(book::apply);
        book.release(T, "aff1", "cv1", AT).ifPresent(book::apply);
        Money amount = new Money(700, "EUR");
        book.reserve(T, "aff1", "run1", new PayoutRunItem("po1", "aff1", "STRIPE", "pm1", "acct_1", "", amount, amount, null),
                true, AT).ifPresent(book::apply);
        for (PayoutState s : news) {
            book.outcome(T, "aff1", "po1", s, "tr_1", null, null, AT).ifPresent(book::apply);
        }
        return List.of(book.balance("EUR", AFFILIATE_AVAILABLE), book.balance("EUR", AFFILIATE_IN_PAYOUT),
                book.balance("EUR", AFFILIATE_PAID));
    }
}
