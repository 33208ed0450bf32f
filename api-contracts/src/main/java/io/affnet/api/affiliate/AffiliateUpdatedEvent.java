package io.affnet.api.affiliate;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An affiliate's profile changed (status, overrides); a suspension takes effect on the next click. */
@Revision("1")
public record AffiliateUpdatedEvent(String affiliateId, TenantId tenantId, long version, AffiliateProfile profile) {
}
