package io.affnet.api.common;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * The one rule for money and percentages in the public API (REST, GraphQL, CSV): money is a decimal
 * string with its ISO-4217 currency ({@code "12.34"} USD), a percentage a decimal string ({@code "12.5"}
 * = 12.5 %). Inside, money stays exact minor units and percentages basis points; a text that does not
 * convert exactly (more decimals than the currency has, a sign where none is allowed, above the maximum)
 * is refused with a sentence the caller can act on, never rounded.
 */
public final class MoneyJson {

    /** Largest amount the API takes, in major units of any currency (one billion). */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    /** A percentage has at most two decimals: one basis point is 0.01 %. */
    public static final int PERCENT_DECIMALS = 2;
    /** What an amount looks like (OpenAPI {@code pattern}); the currency decides how many decimals are exact. */
    public static final String AMOUNT_PATTERN = "^-?[0-9]+(\\.[0-9]+)?$";
    public static final String PERCENT_PATTERN = "^[0-9]{1,3}(\\.[0-9]{1,2})?$";

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private MoneyJson() {
    }

    /** Why a text is not an exact amount or percentage; the message names the field and what to send. */
    public static final class InvalidAmountException extends IllegalArgumentException {
        public InvalidAmountException(String message) {
            super(message);
        }
    }

    /** The minor units of {@code amount} in {@code currency}; negative amounts only when {@code signed}. */
    public static Money money(String field, String amount, String currency, boolean signed) {
        Currency unit = currency(field + ".currency", currency);
        BigDecimal value = decimal(field + ".amount", amount);
        int digits = digits(unit);
        if (value.signum() < 0 && !signed) {
            throw new InvalidAmountException(field + ".amount must not be negative (got \"" + amount + "\")");
        }
        if (value.scale() > digits) {
            throw new InvalidAmountException(field + ".amount \"" + amount + "\" has more decimals than " + unit.getCurrencyCode()
                    + " has (" + digits + (digits == 1 ? " decimal" : " decimals") + "); it would not be exact");
        }
        if (value.abs().compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidAmountException(field + ".amount must be at most " + MAX_AMOUNT.toPlainString() + " "
                    + unit.getCurrencyCode() + " (got \"" + amount + "\")");
        }
        return new Money(value.movePointRight(digits).longValueExact(), unit.getCurrencyCode());
    }

    /** The basis points of a percentage text between 0 and 100 with at most two decimals. */
    public static long basisPoints(String field, String percent) {
        BigDecimal value = decimal(field, percent);
        if (value.signum() < 0) {
            throw new InvalidAmountException(field + " must not be negative (got \"" + percent + "\")");
        }
        if (value.scale() > PERCENT_DECIMALS) {
            throw new InvalidAmountException(field + " \"" + percent + "\" has more than " + PERCENT_DECIMALS
                    + " decimals (one basis point is 0.01 %); it would not be exact");
        }
        if (value.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new InvalidAmountException(field + " must be at most 100 (per cent), got \"" + percent + "\"");
        }
        return value.movePointRight(PERCENT_DECIMALS).longValueExact();
    }

    /** {@code minor} units of {@code currency} as the API shows them: all the currency's decimals, e.g. "2.50", "1000", "1.250". */
    public static String amount(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(Currency.getInstance(currency))).toPlainString();
    }

    /** Basis points as a percentage text without trailing zeros: 1250 → "12.5", 700 → "7". */
    public static String percent(long basisPoints) {
        BigDecimal value = BigDecimal.valueOf(basisPoints, PERCENT_DECIMALS).stripTrailingZeros();
        return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
    }

    /** The number of decimals the API shows and accepts for {@code currency} (ISO 4217 minor units). */
    public static int digits(String currency) {
        return digits(Currency.getInstance(currency));
    }

    private static int digits(Currency currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    private static Currency currency(String field, String code) {
        if (code == null || code.isBlank()) {
            throw new InvalidAmountException(field + " is required (an ISO-4217 code such as EUR)");
        }
        try {
            Currency currency = Currency.getInstance(code);
            if (!currency.getCurrencyCode().equals(code)) {
                throw new IllegalArgumentException(code);
            }
            return currency;
        } catch (IllegalArgumentException e) {
            throw new InvalidAmountException(field + " \"" + code + "\" is not an ISO-4217 currency code such as EUR");
        }
    }

    private static BigDecimal decimal(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidAmountException(field + " is required, as a decimal string such as \"12.34\"");
        }
        if (text.length() > 40 || !DECIMAL.matcher(text).matches()) {
            throw new InvalidAmountException(field + " \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    + "\" is not a decimal such as \"12.34\" (digits, one '.' and no exponent or thousands separator)");
        }
        return new BigDecimal(text);
    }
}
