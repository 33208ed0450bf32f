package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An API key stops working at once, on every node. */
@Revision("1")
public record ApiKeyRevokedEvent(TenantId tenantId, String keyId, String revokedBy, Instant revokedAt) {
}
