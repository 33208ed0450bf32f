package io.affnet.api.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin asks for a key for a principal of its tenant (the secret itself is never in a message). */
public record IssueApiKeyCommand(@TargetAggregateIdentifier TenantId tenantId, String keyId, String keyHash,
                                 String keyPrefix, String principalId, Role role, String label, String issuedBy) {
}
