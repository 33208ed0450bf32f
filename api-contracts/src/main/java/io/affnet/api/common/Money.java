package io.affnet.api.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount of money in minor units (cents) of an ISO-4217 currency; never a floating-point number. */
public record Money(long minor, String currency) {

    /**
     * The largest single amount the platform takes in, in minor units of any currency: the API's
     * maximum ({@link MoneyJson#MAX_AMOUNT}, one billion) in a three-decimal currency, the most minor
     * units the API can express. The API refuses larger amounts as it reads them; the domain refuses
     * them again whatever sent them (offer and payout-override amounts), so sums of many stay far inside
     * a {@code long}.
     */
    public static final long MAX_MINOR = MoneyJson.MAX_AMOUNT.movePointRight(3).longValueExact();

    /** Whether {@code minor} is an amount the platform takes in: 0 to {@link #MAX_MINOR}. */
    public static boolean withinIntakeLimit(long minor) {
        return minor >= 0 && minor <= MAX_MINOR;
    }

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
