package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Postbacks to an affiliate are held after too many failures in a row; the tenant must resume them. */
@Revision("1")
public record PostbackEndpointPausedEvent(TenantId tenantId, String affiliateId, int consecutiveFailures,
                                          String lastError, Instant pausedAt) {
}
