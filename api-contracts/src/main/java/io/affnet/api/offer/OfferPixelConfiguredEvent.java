package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An offer's browser-pixel settings changed; they apply at once, to earlier clicks too. */
@Revision("1")
public record OfferPixelConfiguredEvent(String offerId, TenantId tenantId, PixelSettings pixel) {
}
