package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant puts a new offer of one of its advertisers on its network. */
public record CreateOfferCommand(@TargetAggregateIdentifier String offerId, TenantId tenantId, OfferTerms terms) {
}
