package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A tenant admin replaces an affiliate's signing secret (the old one stops being used at once). */
public record RotatePostbackSecretCommand(@TargetAggregateIdentifier String endpointId, TenantId tenantId,
                                          String sealedSecret, String secretPrefix) {
    @Override
    public String toString() {
        return "RotatePostbackSecretCommand[endpointId=" + endpointId + "]";
    }
}
