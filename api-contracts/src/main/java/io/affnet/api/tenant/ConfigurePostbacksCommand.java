package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin sets how postbacks are read: status words, default status, fraud rules. */
public record ConfigurePostbacksCommand(@TargetAggregateIdentifier TenantId tenantId, PostbackSettings settings) {
}
