package io.affnet.api.conversion;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A conversion as the advertiser reported it, already parsed: the goal (null = the offer's first),
 * the advertiser's transaction id (null when none was sent), the sale amount and its currency (null =
 * none / the offer's currency), the status it reported (null = approved), and how it arrived.
 */
public record ConversionInput(String goal, String transactionId, BigDecimal saleAmount, String saleCurrency,
                              ConversionStatus status, Instant receivedAt, String channel, String customerEmailHash) {
}
