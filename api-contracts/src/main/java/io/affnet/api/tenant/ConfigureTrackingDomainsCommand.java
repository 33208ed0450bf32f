package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** A tenant names the host names of its own that serve its tracking links and pixel (replacing the earlier list). */
public record ConfigureTrackingDomainsCommand(@TargetAggregateIdentifier TenantId tenantId, List<String> hosts) {
}
