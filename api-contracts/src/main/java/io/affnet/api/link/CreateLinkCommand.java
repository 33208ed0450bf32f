package io.affnet.api.link;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant issues a tracking link with an unguessable short code. */
public record CreateLinkCommand(@TargetAggregateIdentifier String linkId, TenantId tenantId, String code, LinkSettings settings) {
}
