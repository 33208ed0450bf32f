package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A tenant issued a secret token that advertisers put in their postbacks (only its hash is kept). */
@Revision("1")
public record PostbackTokenIssuedEvent(TenantId tenantId, String tokenId, String tokenHash, String prefix, Instant issuedAt) {
}
