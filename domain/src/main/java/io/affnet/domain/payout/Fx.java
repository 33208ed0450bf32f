package io.affnet.domain.payout;

import io.affnet.api.common.Money;
import io.affnet.api.payout.FxQuote;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** Converts an amount at a recorded quote: exact decimal arithmetic, rounded half-even to the target's minor unit once. */
public final class Fx {

    private Fx() {
    }

    public static Money convert(Money amount, FxQuote quote) {
        if (!amount.currency().equals(quote.from())) {
            throw new IllegalArgumentException("quote is from " + quote.from() + ", amount in " + amount.currency());
        }
        BigDecimal major = amount.toMajor().multiply(new BigDecimal(quote.rate()));
        int digits = Math.max(0, Currency.getInstance(quote.to()).getDefaultFractionDigits());
        long minor = major.movePointRight(digits).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        return new Money(minor, quote.to());
    }
}
