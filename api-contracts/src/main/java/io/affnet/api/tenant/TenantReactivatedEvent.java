package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The operator lifted a tenant's suspension. */
@Revision("1")
public record TenantReactivatedEvent(TenantId tenantId, String reactivatedBy, Instant reactivatedAt) {
}
