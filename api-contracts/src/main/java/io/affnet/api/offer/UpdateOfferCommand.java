package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant replaces an offer's terms with a new version; earlier clicks keep theirs. */
public record UpdateOfferCommand(@TargetAggregateIdentifier String offerId, TenantId tenantId, OfferTerms terms) {
}
