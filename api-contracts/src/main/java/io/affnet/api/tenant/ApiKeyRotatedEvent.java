package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A key was replaced by a new one for the same principal and role; the old key keeps working until
 * {@code oldKeyExpiresAt}, so the holder can switch without an outage.
 */
@Revision("1")
public record ApiKeyRotatedEvent(TenantId tenantId, String keyId, Instant oldKeyExpiresAt, String newKeyId,
                                 String newKeyHash, String newKeyPrefix, String rotatedBy, Instant rotatedAt) {
}
