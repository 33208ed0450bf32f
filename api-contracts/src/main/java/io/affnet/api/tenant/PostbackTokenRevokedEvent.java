package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A postback token stops being accepted. */
@Revision("1")
public record PostbackTokenRevokedEvent(TenantId tenantId, String tokenId, Instant revokedAt) {
}
