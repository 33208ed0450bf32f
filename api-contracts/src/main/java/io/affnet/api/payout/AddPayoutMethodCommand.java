package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Someone asks to pay an affiliate through a new method; it takes effect only once a tenant admin confirms it. */
public record AddPayoutMethodCommand(@TargetAggregateIdentifier String profileId, TenantId tenantId, String affiliateId,
                                     PayoutMethod method, boolean makeDefault, String requestedBy, Instant at) {
}
