package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A tenant admin confirms a requested payout method. */
public record ConfirmPayoutMethodCommand(@TargetAggregateIdentifier String profileId, TenantId tenantId,
                                         String methodId, String confirmedBy, Instant at) {
}
