package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** An approved conversion was reversed by the advertiser: its earning is clawed back. */
public record PostReversalCommand(@TargetAggregateIdentifier String ledgerId, TenantId tenantId, String affiliateId,
                                  String conversionId, Instant at) {
}
