package io.affnet.api.advertiser;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant adds an advertiser. */
public record CreateAdvertiserCommand(@TargetAggregateIdentifier String advertiserId, TenantId tenantId, AdvertiserProfile profile) {
}
