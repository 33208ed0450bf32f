package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;

/**
 * A tenant admin sends an affiliate a sample postback now, filled, signed and sent like a real one, to see
 * what the affiliate's server answers; {@code offerId} and {@code goal} pick the template (none: the global one).
 */
public record TestFirePostbackCommand(TenantId tenantId, String affiliateId, String offerId, String goal) {
}
