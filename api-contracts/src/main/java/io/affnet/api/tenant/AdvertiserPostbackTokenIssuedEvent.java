package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A tenant issued a postback token that only reaches the offers of one advertiser (only its hash is kept). */
@Revision("1")
public record AdvertiserPostbackTokenIssuedEvent(TenantId tenantId, String advertiserId, String tokenId, String tokenHash,
                                                 String prefix, Instant issuedAt) {
}
