package io.affnet.api.conversion;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A reported conversion was not credited, and why; kept so the tenant can see every refused report. */
@Revision("1")
public record ConversionRejectedEvent(
        TenantId tenantId,
        String clickId,
        String offerId,
        String affiliateId,
        String goal,
        String transactionId,
        RejectionReason reason,
        Instant receivedAt,
        String channel) {
}
