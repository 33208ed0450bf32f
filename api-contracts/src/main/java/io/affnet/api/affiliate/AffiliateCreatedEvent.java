package io.affnet.api.affiliate;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An affiliate joined a tenant's programme (version 1 of its profile). */
@Revision("1")
public record AffiliateCreatedEvent(String affiliateId, TenantId tenantId, long version, AffiliateProfile profile) {
}
