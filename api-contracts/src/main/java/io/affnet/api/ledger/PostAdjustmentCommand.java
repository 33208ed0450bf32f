package io.affnet.api.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/**
 * An approved conversion's amounts were adjusted (by moderation): its earning moves to the new revenue and
 * payout by an entry of the difference. {@code adjustmentId} names the adjustment (the id of the event that
 * made it), so a redelivery posts nothing twice.
 */
public record PostAdjustmentCommand(@TargetAggregateIdentifier String ledgerId, TenantId tenantId, String affiliateId,
                                    String conversionId, String adjustmentId, Money revenue, Money payout, Instant at) {
}
