package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;

/** Asks for the public profile of one tenant. */
public record FindTenantQuery(TenantId tenantId) {
}
