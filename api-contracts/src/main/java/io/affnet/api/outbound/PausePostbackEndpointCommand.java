package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Delivery gave up on an affiliate's server for now: too many failures in a row. */
public record PausePostbackEndpointCommand(@TargetAggregateIdentifier String endpointId, TenantId tenantId,
                                           int consecutiveFailures, String lastError) {
}
