package io.affnet.api.outbound;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * A tenant admin sets an affiliate's postback templates (the whole list). On the first configuration
 * {@code sealedSecret} carries the affiliate's new signing secret, encrypted with the platform key, and
 * {@code secretPrefix} its first characters (to recognise it later); both null on later changes.
 */
public record ConfigurePostbackEndpointCommand(@TargetAggregateIdentifier String endpointId, TenantId tenantId,
                                               String affiliateId, List<PostbackTemplate> templates, String sealedSecret,
                                               String secretPrefix) {

    @Override
    public String toString() {
        return "ConfigurePostbackEndpointCommand[affiliateId=" + affiliateId + ", templates=" + templates + "]";
    }

    /**
     * The owner id of a tenant's own endpoint (it receives the payout state changes of all its affiliates).
     * It stands where an affiliate id stands; generated affiliate ids never hold a colon.
     */
    public static String tenantOwner(TenantId tenantId) {
        return "tenant:" + tenantId.value();
    }

    /** One endpoint per affiliate, so its id is a function of the affiliate's. */
    public static String endpointIdOf(String affiliateId) {
        return "ope_" + affiliateId;
    }
}
