package io.affnet.sagas.payout.paypal;

import io.affnet.sagas.payout.processor.ProcessorExponent;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What PayPal Payouts can pay, and how PayPal writes amounts: decimal strings ({@code "12.50"}) with ISO
 * 4217's decimals, except HUF, JPY and TWD, which PayPal takes without decimals ("decimal amounts cause an
 * error"; HUF and TWD have two decimals in ISO, so only whole forints and dollars can be paid). Documented
 * in docs/payout-processors.md.
 */
public final class PayPalCurrencies {

    /** PayPal's currencies for Payouts (developer.paypal.com/reference/currency-codes). */
    static final Set<String> SUPPORTED = Set.of("AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY",
            "MYR", "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD");
    static final Set<String> NO_DECIMALS = Set.of("HUF", "JPY", "TWD");
    /** Countries where PayPal does not operate or affnet may not pay (embargoed). */
    static final Set<String> REFUSED_COUNTRIES = Set.of("CU", "IR", "KP", "SY", "RU", "BY");

    private PayPalCurrencies() {
    }

    public static ProcessorExponent exponent(String currency) {
        String c = currency.toUpperCase(Locale.ROOT);
        return new ProcessorExponent(c, NO_DECIMALS.contains(c) ? 0 : ProcessorExponent.isoDigits(c), 1);
    }

    public static Optional<String> currencyRefusal(String currency) {
        String cur = currency == null ? "" : currency.toUpperCase(Locale.ROOT);
        return SUPPORTED.contains(cur) ? Optional.empty() : Optional.of("PayPal Payouts in " + cur + " are not supported");
    }

    public static Optional<String> refusal(String country, String currency) {
        Optional<String> byCurrency = currencyRefusal(currency);
        if (byCurrency.isPresent()) {
            return byCurrency;
        }
        String cty = country == null ? "" : country.toUpperCase(Locale.ROOT);
        if (!cty.matches("[A-Z]{2}") || REFUSED_COUNTRIES.contains(cty)) {
            return Optional.of("PayPal Payouts cannot pay a recipient in country " + cty);
        }
        return Optional.empty();
    }
}
