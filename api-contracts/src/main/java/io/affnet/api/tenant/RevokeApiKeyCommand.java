package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin withdraws a key at once. */
public record RevokeApiKeyCommand(@TargetAggregateIdentifier TenantId tenantId, String keyId, String revokedBy) {
}
