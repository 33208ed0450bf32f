package io.affnet.domain.payout;

import io.affnet.api.common.Money;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutTerms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The payout rules a business person would name: valid terms, and who a run pays what. */
public final class PayoutRules {

    static final Duration MAX_HOLD = Duration.ofDays(3650);

    private PayoutRules() {
    }

    public static void validate(PayoutTerms terms) {
        if (terms.defaultHold() == null || terms.defaultHold().isNegative() || terms.defaultHold().compareTo(MAX_HOLD) > 0) {
            throw new PayoutRunStateException("defaultHold must be a duration between zero and 3650 days");
        }
        if (terms.offerHolds().size() > 10_000) {
            throw new PayoutRunStateException("at most 10000 offer holds");
        }
        terms.offerHolds().forEach((offer, d) -> {
            if (d == null || d.isNegative() || d.compareTo(MAX_HOLD) > 0 || offer.isBlank() || offer.length() > 128) {
                throw new PayoutRunStateException("offer holds map offer ids to durations between zero and 3650 days");
            }
        });
        if (terms.schedule() == null) {
            throw new PayoutRunStateException("schedule is required (WEEKLY, MONTHLY or NET)");
        }
        if (terms.netDays() < 0 || terms.netDays() > 365) {
            throw new PayoutRunStateException("netDays must be between 0 and 365");
        }
        terms.minimumMinor().forEach((currency, minimum) -> {
            try {
                Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                throw new PayoutRunStateException("unknown currency " + currency);
            }
            if (minimum == null || minimum < 0) {
                throw new PayoutRunStateException("minimum for " + currency + " must be >= 0");
            }
        });
    }

    /** An affiliate's available balance in one currency, as the run sees it. */
    public record Available(String affiliateId, Money amount) {
    }

    /**
     * The items of a run: one payout per affiliate and earned currency whose available balance reaches
     * the tenant's minimum, paid through the affiliate's confirmed default method (affiliates without
     * one are left out). With {@code negativeBalanceBlocks}, an affiliate negative in any currency is
     * left out. The paid amount in another currency is a placeholder until approval quotes the rate.
     */
    public static List<PayoutRunItem> plan(String runId, List<Available> balances, Map<String, PayoutMethod> defaults,
                                           PayoutTerms terms, Set<String> onlyAffiliates) {
        Set<String> negative = new java.util.HashSet<>();
        balances.stream().filter(a -> a.amount().minor() < 0).forEach(a -> negative.add(a.affiliateId()));
        List<PayoutRunItem> items = new ArrayList<>();
        balances.stream()
                .sorted(Comparator.comparing(Available::affiliateId).thenComparing(a -> a.amount().currency()))
                .forEach(a -> {
                    PayoutMethod method = defaults.get(a.affiliateId());
                    if (method == null || (onlyAffiliates != null && !onlyAffiliates.isEmpty() && !onlyAffiliates.contains(a.affiliateId()))
                            || (terms.negativeBalanceBlocks() && negative.contains(a.affiliateId()))) {
                        return;
                    }
                    long minimum = terms.minimumMinor().getOrDefault(a.amount().currency(), 1L);
                    if (a.amount().minor() <= 0 || a.amount().minor() < minimum) {
                        return;
                    }
                    String payoutId = runId + "-" + a.affiliateId() + "-" + a.amount().currency();
                    Money paid = method.currency().equals(a.amount().currency()) ? a.amount() : new Money(0, method.currency());
                    items.add(new PayoutRunItem(payoutId, a.affiliateId(), method.processor(), method.methodId(),
                            method.destination(), method.recipientType(), a.amount(), paid, null));
                });
        return items;
    }
}
