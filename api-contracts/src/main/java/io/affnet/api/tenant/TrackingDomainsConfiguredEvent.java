package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * A tenant's tracking domains are now these host names (the first is the one its click URLs use); requests
 * that arrive on one of them are the tenant's.
 */
@Revision("1")
public record TrackingDomainsConfiguredEvent(TenantId tenantId, List<String> hosts) {
}
