package io.affnet.api.tenant;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin asks for a new postback token for its advertisers (the secret itself is never in a message). */
public record IssuePostbackTokenCommand(@TargetAggregateIdentifier TenantId tenantId, String tokenId, String tokenHash,
                                        String prefix) {
}
