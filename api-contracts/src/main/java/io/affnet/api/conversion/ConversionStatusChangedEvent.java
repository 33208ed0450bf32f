package io.affnet.api.conversion;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A credited conversion moved on (pending→approved/rejected, approved→reversed); history is never edited. */
@Revision("1")
public record ConversionStatusChangedEvent(
        TenantId tenantId,
        String conversionId,
        String clickId,
        String offerId,
        String affiliateId,
        String goal,
        String transactionId,
        ConversionStatus from,
        ConversionStatus to,
        Money revenue,
        Money payout,
        Instant changedAt) {
}
