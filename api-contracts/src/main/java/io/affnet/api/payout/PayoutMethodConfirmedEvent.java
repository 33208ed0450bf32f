package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A payout method was confirmed by a tenant admin; when {@code isDefault}, runs pay through it from now on. */
@Revision("1")
public record PayoutMethodConfirmedEvent(TenantId tenantId, String affiliateId, String methodId, boolean isDefault,
                                         String confirmedBy, Instant at) {
}
