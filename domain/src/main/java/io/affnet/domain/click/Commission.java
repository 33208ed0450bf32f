package io.affnet.domain.click;

import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.common.Money;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Goal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** Computes revenue and payout of a conversion from a goal's terms (fixed or share of the sale). */
public final class Commission {

    private Commission() {
    }

    public static Money revenue(Goal goal, Money sale, String currency) {
        return amount(goal.revenue(), sale, currency);
    }

    public static Money payout(Goal goal, List<PayoutOverride> overrides, String offerId, Money sale, String currency) {
        Amount payout = goal.payout();
        if (overrides != null) {
            for (PayoutOverride o : overrides) {
                if (o.offerId().equals(offerId) && o.goal().equals(goal.name())) {
                    payout = o.payout();
                }
            }
        }
        return amount(payout, sale, currency);
    }

    /** A percentage of the sale, in basis points, rounded half-even to the minor unit; no sale → nothing. */
    static Money amount(Amount amount, Money sale, String currency) {
        if (amount.kind() == Amount.Kind.FIXED) {
            return new Money(amount.value(), currency);
        }
        if (sale == null) {
            return Money.zero(currency);
        }
        long minor = BigDecimal.valueOf(sale.minor()).multiply(BigDecimal.valueOf(amount.value()))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.HALF_EVEN).longValueExact();
        return new Money(minor, currency);
    }
}
