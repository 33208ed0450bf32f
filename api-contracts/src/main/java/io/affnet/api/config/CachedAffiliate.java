package io.affnet.api.config;

import io.affnet.api.affiliate.AffiliateProfile;

/** The current version of an affiliate's profile as the lookup cache holds it. */
public record CachedAffiliate(String tenantId, String affiliateId, long version, AffiliateProfile profile) {
}
