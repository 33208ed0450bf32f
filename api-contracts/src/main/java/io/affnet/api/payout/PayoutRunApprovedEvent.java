package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/** A run was approved: each item becomes a payout, converted at the quote recorded here. */
@Revision("1")
public record PayoutRunApprovedEvent(String runId, TenantId tenantId, List<PayoutRunItem> items,
                                     boolean negativeBalanceBlocks, String approvedBy, Instant at) {
}
