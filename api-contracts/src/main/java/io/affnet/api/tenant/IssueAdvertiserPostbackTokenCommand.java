package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A tenant admin asks for a postback token for one of its advertisers: it reaches only conversions on that
 * advertiser's offers, so a leaked one exposes no other advertiser (the secret itself is never in a message).
 */
public record IssueAdvertiserPostbackTokenCommand(@TargetAggregateIdentifier TenantId tenantId, String advertiserId,
                                                  String tokenId, String tokenHash, String prefix) {
}
