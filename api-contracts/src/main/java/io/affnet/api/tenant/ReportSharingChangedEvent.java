package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.serialization.Revision;

/**
 * A tenant changed whether its advertisers' reports and logs show who sent the traffic (affiliate,
 * link, sub ids, source); off until the tenant turns it on.
 */
@Revision("1")
public record ReportSharingChangedEvent(TenantId tenantId, boolean advertisersSeeAffiliates) {
}
