package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin decides whether advertisers may see who sent their traffic (affiliate, link, subs, source). */
public record ConfigureReportSharingCommand(@TargetAggregateIdentifier TenantId tenantId, boolean advertisersSeeAffiliates) {
}
