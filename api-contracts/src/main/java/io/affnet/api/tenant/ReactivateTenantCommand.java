package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The operator lets a suspended tenant work again. */
public record ReactivateTenantCommand(@TargetAggregateIdentifier TenantId tenantId, String reactivatedBy) {
}
