package io.affnet.api.payout;

import java.time.Instant;

/** The exchange rate a payout is converted at, as quoted when its run was approved: {@code 1 from = rate to}. */
public record FxQuote(String from, String to, String rate, Instant quotedAt, String source) {
}
