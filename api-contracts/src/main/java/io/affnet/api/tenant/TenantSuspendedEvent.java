package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** The operator suspended a tenant: its links stop redirecting, its keys and postbacks are refused. */
@Revision("1")
public record TenantSuspendedEvent(TenantId tenantId, String reason, String suspendedBy, Instant suspendedAt) {
}
