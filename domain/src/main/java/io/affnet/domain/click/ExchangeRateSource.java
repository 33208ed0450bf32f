package io.affnet.domain.click;

import io.affnet.api.conversion.ExchangeRate;

import java.util.Optional;

/** Where a click finds the rate that converts a sale into its offer's currency. */
public interface ExchangeRateSource {

    Optional<ExchangeRate> rate(String from, String to);
}
