package io.affnet.api.advertiser;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant renames an advertiser or changes its default currency. */
public record UpdateAdvertiserCommand(@TargetAggregateIdentifier String advertiserId, TenantId tenantId, AdvertiserProfile profile) {
}
