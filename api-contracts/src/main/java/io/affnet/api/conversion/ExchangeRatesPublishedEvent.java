package io.affnet.api.conversion;

import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The platform started converting sales with a new set of reference rates: every set it ever used is
 * kept, so any conversion's rate can be traced to the published set it came from.
 *
 * @param setId  a digest of the set's content (source, date, base and rates), the same on every node
 * @param rates  units of each currency per one unit of {@code base}, as decimal strings
 */
@Revision("1")
public record ExchangeRatesPublishedEvent(String setId, String source, LocalDate asOf, String base,
                                          Map<String, String> rates, Instant publishedAt) {
}
