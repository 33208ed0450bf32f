package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;

/**
 * A tenant admin puts an affiliate's dead-lettered postbacks back in line with a fresh retry budget: the
 * one named by {@code deliveryId}, or all of them when it is null. Answered with how many went back.
 */
public record RedeliverPostbacksCommand(TenantId tenantId, String affiliateId, String deliveryId) {
}
