package io.affnet.api.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount of money in minor units (cents) of an ISO-4217 currency; never a floating-point number. */
public record Money(long minor, String currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        Currency.getInstance(currency);
    }

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    public static Money ofMajor(BigDecimal amount, String currency) {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return new Money(amount.movePointRight(digits).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact(), currency);
    }

    public BigDecimal toMajor() {
        int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        return BigDecimal.valueOf(minor, digits);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currency mismatch: " + currency + " vs " + other.currency);
        }
    }
}
