package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A tenant's payout terms changed; earnings from now on are held per these terms. */
@Revision("1")
public record PayoutTermsSetEvent(TenantId tenantId, PayoutTerms terms, String setBy, Instant at) {
}
