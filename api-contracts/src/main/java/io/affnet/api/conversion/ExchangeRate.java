package io.affnet.api.conversion;

import java.time.LocalDate;

/**
 * The rate used to convert a sale into the offer's currency, kept in the event so that a replay gives
 * the same figures whatever the rate source says later: {@code 1 from = rate to}, as a decimal string.
 */
public record ExchangeRate(String from, String to, String rate, LocalDate asOf, String source) {
}
