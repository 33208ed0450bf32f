package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Duration;
import java.time.Instant;

/** An approved conversion earns the affiliate its payout, held for {@code hold} before it can be paid. */
public record PostEarningCommand(@TargetAggregateIdentifier String ledgerId, TenantId tenantId, String affiliateId,
                                 String conversionId, String offerId, Money revenue, Money payout, Duration hold,
                                 Instant at) {
}
