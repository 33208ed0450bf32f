package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin replaces a key; the old one keeps working for {@code overlapSeconds}. */
public record RotateApiKeyCommand(@TargetAggregateIdentifier TenantId tenantId, String keyId, long overlapSeconds,
                                  String newKeyId, String newKeyHash, String newKeyPrefix, String rotatedBy) {
}
