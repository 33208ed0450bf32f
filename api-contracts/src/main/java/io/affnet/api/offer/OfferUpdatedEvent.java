package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An offer's terms were replaced by a new version (a pause or resume is such an update too). */
@Revision("1")
public record OfferUpdatedEvent(String offerId, TenantId tenantId, long version, OfferTerms terms) {
}
