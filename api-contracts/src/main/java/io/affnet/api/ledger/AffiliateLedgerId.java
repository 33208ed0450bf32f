package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;

/** The id of an affiliate's sub-ledger aggregate (all its currencies): one per tenant and affiliate. */
public final class AffiliateLedgerId {

    private AffiliateLedgerId() {
    }

    public static String of(TenantId tenantId, String affiliateId) {
        return "ledger:" + tenantId.value() + ":" + affiliateId;
    }
}
