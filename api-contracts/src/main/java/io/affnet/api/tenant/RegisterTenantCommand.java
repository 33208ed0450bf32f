package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An operator opens the platform to a new business, which gets its first admin key. */
public record RegisterTenantCommand(
        @TargetAggregateIdentifier TenantId tenantId,
        String slug,
        String name,
        String timezone,
        String currency,
        String adminKeyId,
        String adminKeyHash,
        String adminKeyPrefix) {
}
