package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin withdraws a postback token. */
public record RevokePostbackTokenCommand(@TargetAggregateIdentifier TenantId tenantId, String tokenId) {
}
