package io.affnet.sagas.payout.stripe;

import io.affnet.sagas.payout.processor.ProcessorExponent;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What Stripe Connect can pay, and how Stripe writes each currency's amounts (docs.stripe.com/currencies):
 * zero-decimal currencies take whole units (JPY 1000 is ¥1000, never ×100); ISK and UGX are zero-decimal
 * but must be sent with two decimals ending in 00; HUF and TWD are two-decimal but paid out only in whole
 * units; the three-decimal currencies must end in 0. Documented in docs/payout-processors.md.
 */
public final class StripeCurrencies {

    /** Stripe's zero-decimal currencies (UGX is in {@link #TWO_DECIMAL_WHOLE} as a special case). */
    static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
            "VND", "VUV", "XAF", "XOF", "XPF");
    /** Sent with two decimals, only whole units (the last two digits 00). */
    static final Set<String> TWO_DECIMAL_WHOLE = Set.of("ISK", "UGX", "HUF", "TWD");
    /** Three decimals, the last one 0. */
    static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    /** Currencies affnet pays through Stripe Connect transfers. */
    static final Set<String> SUPPORTED = Set.of("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN",
            "CZK", "HUF", "RON", "BGN", "JPY", "SGD", "HKD", "MXN", "BRL", "THB", "AED", "ISK", "TWD", "UGX", "KRW", "CLP",
            "MYR", "KWD", "BHD", "JOD", "OMR", "XOF", "XAF", "VND");

    /** Countries where Stripe Connect accounts can receive transfers (stripe.com/global, Connect). */
    static final Set<String> COUNTRIES = Set.of("AE", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CY", "CZ", "DE", "DK", "EE",
            "ES", "FI", "FR", "GB", "GI", "GR", "HK", "HR", "HU", "IE", "IT", "JP", "LI", "LT", "LU", "LV", "MT", "MX", "MY",
            "NL", "NO", "NZ", "PL", "PT", "RO", "SE", "SG", "SI", "SK", "TH", "US");

    private StripeCurrencies() {
    }

    public static ProcessorExponent exponent(String currency) {
        String c = currency.toUpperCase(Locale.ROOT);
        if (ZERO_DECIMAL.contains(c)) {
            return new ProcessorExponent(c, 0, 1);
        }
        if (TWO_DECIMAL_WHOLE.contains(c)) {
            return new ProcessorExponent(c, 2, 100);
        }
        if (THREE_DECIMAL.contains(c)) {
            return new ProcessorExponent(c, 3, 10);
        }
        return new ProcessorExponent(c, ProcessorExponent.isoDigits(c), 1);
    }

    public static Optional<String> currencyRefusal(String currency) {
        String cur = currency == null ? "" : currency.toUpperCase(Locale.ROOT);
        return SUPPORTED.contains(cur) ? Optional.empty() : Optional.of("Stripe Connect payouts in " + cur + " are not supported");
    }

    public static Optional<String> refusal(String country, String currency) {
        String cty = country == null ? "" : country.toUpperCase(Locale.ROOT);
        Optional<String> byCurrency = currencyRefusal(currency);
        if (byCurrency.isPresent()) {
            return byCurrency;
        }
        if (!COUNTRIES.contains(cty)) {
            return Optional.of("Stripe Connect accounts cannot receive transfers in country " + cty);
        }
        return Optional.empty();
    }
}
