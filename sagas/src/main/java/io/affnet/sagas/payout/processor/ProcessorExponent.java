package io.affnet.sagas.payout.processor;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

/**
 * How one processor writes amounts of one currency: with {@code exponent} decimals (its own, which may
 * differ from ISO 4217's) and only in multiples of {@code granularity} of its own units. The ledger holds
 * ISO-4217 minor units; conversion in either direction is exact or refused, never rounded.
 *
 * <p>Example: Stripe takes ISK with two decimals although ISO has none, and only whole krónur, so
 * {@code (exponent 2, granularity 100)}: 500 ISK (ledger 500) is Stripe {@code 50000}; a ledger amount is
 * always convertible but a Stripe amount of 50050 is not a ledger amount.
 */
public record ProcessorExponent(String currency, int exponent, long granularity) {

    public ProcessorExponent {
        if (exponent < 0 || exponent > 4 || granularity < 1) {
            throw new IllegalArgumentException("bad exponent " + exponent + " or granularity " + granularity);
        }
    }

    /** ISO 4217's decimals for the currency ({@code java.util.Currency}); 0 for currencies without minor units. */
    public static int isoDigits(String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    /** The ISO minor units as this processor's integer units, or empty when they do not convert exactly. */
    public Optional<Long> toProcessorUnits(long isoMinor) {
        int shift = exponent - isoDigits(currency);
        long units;
        try {
            if (shift >= 0) {
                units = Math.multiplyExact(isoMinor, pow10(shift));
            } else {
                long divisor = pow10(-shift);
                if (isoMinor % divisor != 0) {
                    return Optional.empty();
                }
                units = isoMinor / divisor;
            }
        } catch (ArithmeticException overflow) {
            return Optional.empty();
        }
        return units % granularity == 0 ? Optional.of(units) : Optional.empty();
    }

    /** This processor's integer units as ISO minor units, or empty when they are not a whole ISO minor amount. */
    public Optional<Long> toIsoMinor(long processorUnits) {
        int shift = exponent - isoDigits(currency);
        try {
            if (shift >= 0) {
                long divisor = pow10(shift);
                return processorUnits % divisor == 0 ? Optional.of(processorUnits / divisor) : Optional.empty();
            }
            return Optional.of(Math.multiplyExact(processorUnits, pow10(-shift)));
        } catch (ArithmeticException overflow) {
            return Optional.empty();
        }
    }

    /** The ISO minor units as a decimal string with this processor's decimals ({@code "12.50"}, {@code "1200"}). */
    public Optional<String> toDecimalString(long isoMinor) {
        return toProcessorUnits(isoMinor).map(units -> BigDecimal.valueOf(units, exponent).toPlainString());
    }

    /** A processor's decimal string back to ISO minor units; empty when it has more decimals than allowed or is not exact. */
    public Optional<Long> fromDecimalString(String value) {
        try {
            BigDecimal d = new BigDecimal(value);
            if (d.scale() > exponent) {
                d = d.stripTrailingZeros();
                if (d.scale() > exponent) {
                    return Optional.empty();
                }
            }
            return toIsoMinor(d.movePointRight(exponent).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p = Math.multiplyExact(p, 10);
        }
        return p;
    }
}
