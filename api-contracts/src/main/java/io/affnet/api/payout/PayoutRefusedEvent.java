package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An approved run item could not be reserved (balance too low, or negative and the tenant blocks on that); nothing moved. */
@Revision("1")
public record PayoutRefusedEvent(TenantId tenantId, String affiliateId, String payoutId, String runId, String reason,
                                 Instant at) {
}
