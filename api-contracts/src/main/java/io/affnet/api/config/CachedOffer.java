package io.affnet.api.config;

import io.affnet.api.offer.OfferTerms;

/** The current version of an offer's terms as the lookup cache holds it. */
public record CachedOffer(String tenantId, String offerId, long version, OfferTerms terms) {
}
