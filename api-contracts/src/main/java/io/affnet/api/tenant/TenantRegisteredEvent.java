package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A business was registered on the platform with its first admin key (only the key's hash is kept). */
@Revision("1")
public record TenantRegisteredEvent(
        TenantId tenantId,
        String slug,
        String name,
        String timezone,
        String currency,
        String adminKeyId,
        String adminKeyHash,
        String adminKeyPrefix,
        Instant registeredAt) {
}
