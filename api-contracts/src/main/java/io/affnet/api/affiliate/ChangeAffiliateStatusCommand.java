package io.affnet.api.affiliate;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant suspends or reactivates an affiliate without touching the rest of its profile. */
public record ChangeAffiliateStatusCommand(@TargetAggregateIdentifier String affiliateId, TenantId tenantId,
                                           AffiliateStatus status) {
}
