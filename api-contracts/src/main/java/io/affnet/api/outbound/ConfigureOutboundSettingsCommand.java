package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin decides whether its postbacks may go to private, loopback or link-local addresses. */
public record ConfigureOutboundSettingsCommand(@TargetAggregateIdentifier TenantId tenantId, boolean allowPrivateTargets) {
}
