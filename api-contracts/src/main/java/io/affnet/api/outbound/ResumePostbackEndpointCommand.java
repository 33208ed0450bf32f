package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin says the affiliate's server is back: deliver its waiting postbacks again. */
public record ResumePostbackEndpointCommand(@TargetAggregateIdentifier String endpointId, TenantId tenantId) {
}
