package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An offer was created with its first version of terms (version 1). */
@Revision("1")
public record OfferCreatedEvent(String offerId, TenantId tenantId, long version, OfferTerms terms) {
}
