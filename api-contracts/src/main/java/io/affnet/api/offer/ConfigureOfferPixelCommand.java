package io.affnet.api.offer;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Set;

/**
 * A tenant turns the browser pixel of one of its offers on or off, or changes what a pixel may report.
 * {@code maxAmount}: the ceiling as a decimal text in the offer's currency ({@code "50.00"}), null = pixel
 * conversions carry no amount.
 */
public record ConfigureOfferPixelCommand(@TargetAggregateIdentifier String offerId, TenantId tenantId, boolean enabled,
                                         Set<String> allowedReferrerDomains, String maxAmount) {
}
