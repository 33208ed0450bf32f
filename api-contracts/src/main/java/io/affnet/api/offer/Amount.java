package io.affnet.api.offer;

/**
 * How a goal's revenue or payout is computed: a fixed amount in minor units of the offer currency
 * ({@code FIXED}, e.g. 250 = 2.50 EUR), or a share of the sale in basis points ({@code PERCENT},
 * e.g. 1250 = 12.5 %).
 */
public record Amount(Kind kind, long value) {

    public enum Kind { FIXED, PERCENT }

    public Amount {
        if (kind == null) {
            throw new IllegalArgumentException("amount kind is required (FIXED or PERCENT)");
        }
        if (value < 0) {
            throw new IllegalArgumentException("amount must not be negative");
        }
        if (kind == Kind.PERCENT && value > 100_00) {
            throw new IllegalArgumentException("a percentage is at most 100 % (10000 basis points)");
        }
    }

    public static Amount fixed(long minor) {
        return new Amount(Kind.FIXED, minor);
    }

    public static Amount percentBasisPoints(long bp) {
        return new Amount(Kind.PERCENT, bp);
    }
}
