package io.affnet.api.advertiser;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/** An advertiser's profile changed. */
@Revision("1")
public record AdvertiserUpdatedEvent(String advertiserId, TenantId tenantId, long version, AdvertiserProfile profile) {
}
