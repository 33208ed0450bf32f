package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A payout method was requested for an affiliate; not usable until confirmed (payout-destination change is a sensitive flow). */
@Revision("1")
public record PayoutMethodAddedEvent(TenantId tenantId, String affiliateId, PayoutMethod method, boolean makeDefault,
                                     String requestedBy, Instant at) {
}
