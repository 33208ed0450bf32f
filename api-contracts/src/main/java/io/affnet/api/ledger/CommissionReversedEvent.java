package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** A reversed conversion takes its commission back: {@code amount} is negative. */
@Revision("1")
public record CommissionReversedEvent(TenantId tenantId, String affiliateId, String conversionId, String offerId,
                                      Money amount, Instant reversedAt) {
}
