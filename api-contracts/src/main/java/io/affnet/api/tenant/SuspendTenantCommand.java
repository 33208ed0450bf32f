package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The operator stops a tenant (unpaid, abusive, at its request). */
public record SuspendTenantCommand(@TargetAggregateIdentifier TenantId tenantId, String reason, String suspendedBy) {
}
