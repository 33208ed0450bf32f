package io.affnet.api.payout;

import io.affnet.api.common.TenantId;

/** The id of an affiliate's payout-method aggregate. */
public final class PayoutProfileId {

    private PayoutProfileId() {
    }

    public static String of(TenantId tenantId, String affiliateId) {
        return "payout-profile:" + tenantId.value() + ":" + affiliateId;
    }
}
