package io.affnet.api.payout;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A verified processor webhook mentioned a payout: its saga should fetch the payout again. */
public record ReportPayoutNewsCommand(@TargetAggregateIdentifier String ledgerId, String payoutId, String eventId,
                                      Instant at) {
}
