package io.affnet.api.affiliate;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant signs up a new affiliate. */
public record CreateAffiliateCommand(@TargetAggregateIdentifier String affiliateId, TenantId tenantId, AffiliateProfile profile) {
}
