package io.affnet.api.affiliate;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant changes an affiliate's status or payout overrides. */
public record UpdateAffiliateCommand(@TargetAggregateIdentifier String affiliateId, TenantId tenantId, AffiliateProfile profile) {
}
