package io.affnet.command.postback;

import io.affnet.api.conversion.ExchangeRate;
import io.affnet.domain.click.ExchangeRateSource;

import java.util.Optional;

/**
 * Where exchange rates come from. The platform's are {@link PublishedExchangeRates}: the ECB's reference
 * rates from a file or URL ({@link RateSource}), every set kept as an event. Whatever the source, the rate
 * used is written into the conversion event, so figures never change on replay.
 */
public interface ExchangeRates extends ExchangeRateSource {

    /** Whether sales can be converted from and into {@code currency}; an offer in a currency no source knows is refused. */
    default boolean knows(String currency) {
        return rate(currency, currency).isPresent();
    }
}
