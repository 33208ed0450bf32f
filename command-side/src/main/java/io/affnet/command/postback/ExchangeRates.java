package io.affnet.command.postback;

import io.affnet.api.conversion.ExchangeRate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where exchange rates come from. Pluggable: the default reads a table from configuration
 * ({@code affnet.fx.rates.EUR=1.0} style, each currency's value in a common base), which a deployment
 * replaces with a feed (ECB, Open Exchange Rates) behind the same interface. Whatever the source, the
 * rate used is written into the conversion event, so figures never change on replay.
 */
public interface ExchangeRates {

    Optional<ExchangeRate> rate(String from, String to);

    /** Rates given as units of a common base per currency (e.g. USD=1, EUR=0.92): from→to = to/from. */
    static ExchangeRates table(Map<String, String> unitsPerBase, Clock clock, String source) {
        Map<String, BigDecimal> units = new HashMap<>();
        unitsPerBase.forEach((currency, value) -> units.put(currency.toUpperCase(java.util.Locale.ROOT), new BigDecimal(value)));
        return (from, to) -> {
            BigDecimal f = units.get(from);
            BigDecimal t = units.get(to);
            if (f == null || t == null || f.signum() <= 0) {
                return Optional.empty();
            }
            BigDecimal rate = t.divide(f, MathContext.DECIMAL64).stripTrailingZeros();
            return Optional.of(new ExchangeRate(from, to, rate.toPlainString(), LocalDate.now(clock), source));
        };
    }
}
