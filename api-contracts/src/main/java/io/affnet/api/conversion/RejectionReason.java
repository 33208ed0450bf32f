package io.affnet.api.conversion;

/** Why a reported conversion was not credited; each has a stable code shown to the tenant and the advertiser. */
public enum RejectionReason {
    UNKNOWN_CLICK("unknown_click"),
    DUPLICATE_TRANSACTION("duplicate"),
    OUTSIDE_WINDOW("outside_window"),
    UNKNOWN_GOAL("unknown_goal"),
    CAP_REACHED("cap_reached"),
    FRAUD_TOO_FAST("fraud_too_fast"),
    FRAUD_TOO_MANY_PER_CLICK("fraud_too_many_per_click"),
    FRAUD_SELF_REFERRAL("fraud_self_referral"),
    INVALID_STATUS_CHANGE("invalid_status_change"),
    CURRENCY_UNSUPPORTED("currency_unsupported"),
    NOT_SERVED("click_not_served");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
