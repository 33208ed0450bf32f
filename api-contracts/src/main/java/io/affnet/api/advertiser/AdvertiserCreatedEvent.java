package io.affnet.api.advertiser;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An advertiser was added to a tenant. */
@Revision("1")
public record AdvertiserCreatedEvent(String advertiserId, TenantId tenantId, long version, AdvertiserProfile profile) {
}
