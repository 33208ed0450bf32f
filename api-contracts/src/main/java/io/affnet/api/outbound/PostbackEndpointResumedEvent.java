package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Postbacks to an affiliate flow again, starting with those held while it was paused. */
@Revision("1")
public record PostbackEndpointResumedEvent(TenantId tenantId, String affiliateId, Instant resumedAt) {
}
