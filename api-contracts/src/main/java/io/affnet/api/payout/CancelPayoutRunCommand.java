package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A tenant admin drops a previewed run; nobody is paid by it. */
public record CancelPayoutRunCommand(@TargetAggregateIdentifier String runId, TenantId tenantId, String cancelledBy,
                                     Instant at) {
}
