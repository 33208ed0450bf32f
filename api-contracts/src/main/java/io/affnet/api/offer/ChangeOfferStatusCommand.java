package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant pauses or resumes an offer without touching its other terms; the result is a new version. */
public record ChangeOfferStatusCommand(@TargetAggregateIdentifier String offerId, TenantId tenantId, OfferStatus status) {
}
