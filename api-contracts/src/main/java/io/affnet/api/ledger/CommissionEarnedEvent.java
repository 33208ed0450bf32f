package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** An approved conversion credits the affiliate's account with its payout. */
@Revision("1")
public record CommissionEarnedEvent(TenantId tenantId, String affiliateId, String conversionId, String offerId,
                                    Money amount, Instant earnedAt) {
}
