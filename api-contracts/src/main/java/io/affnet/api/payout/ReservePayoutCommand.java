package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Moves an approved run item's amount from the affiliate's available balance into the processor's clearing account. */
public record ReservePayoutCommand(@TargetAggregateIdentifier String ledgerId, TenantId tenantId, String runId,
                                   PayoutRunItem item, boolean negativeBalanceBlocks, Instant at) {
}
