package io.affnet.api.link;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant changes where a link sends traffic or disables it; its code stays. */
public record UpdateLinkCommand(@TargetAggregateIdentifier String linkId, TenantId tenantId, LinkSettings settings) {
}
