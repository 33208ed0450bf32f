package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A previewed run was cancelled before approval. */
@Revision("1")
public record PayoutRunCancelledEvent(String runId, TenantId tenantId, String cancelledBy, Instant at) {
}
