package io.affnet.api.payout;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** The processor's answer about a payout, as its saga learnt it; repeats and stale news change nothing. */
public record RecordPayoutOutcomeCommand(@TargetAggregateIdentifier String ledgerId, String payoutId, PayoutState state,
                                         String reference, String batchReference, String reason, Instant at) {
}
