package io.affnet.api.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * A tenant admin gave a principal an API key with a role (only the key's hash is kept). An affiliate's
 * or advertiser's key is bound to that affiliate or advertiser: its principal id is theirs.
 */
@Revision("1")
public record ApiKeyIssuedEvent(TenantId tenantId, String keyId, String keyHash, String keyPrefix, String principalId,
                                Role role, String label, String issuedBy, Instant issuedAt) {
}
