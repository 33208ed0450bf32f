package io.affnet.api.payout;

import io.affnet.api.common.TenantId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** A tenant admin sets the tenant's payout terms. */
public record SetPayoutTermsCommand(@TargetAggregateIdentifier String termsId, TenantId tenantId, PayoutTerms terms,
                                    String setBy, Instant at) {

    public static String idOf(TenantId tenantId) {
        return "payout-terms:" + tenantId.value();
    }
}
