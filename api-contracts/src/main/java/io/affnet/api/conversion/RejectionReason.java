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
    /** The advertiser declined the transaction (its first report said so), or approved it after declining it. */
    DECLINED("declined"),
    CURRENCY_UNSUPPORTED("currency_unsupported"),
    NOT_SERVED("click_not_served"),
    /** The offer does not take browser-pixel conversions (the default). */
    PIXEL_DISABLED("pixel_disabled"),
    /** The advertiser accepts reports only from its allowlisted addresses, and the offer does not allow pixels. */
    PIXEL_ADVERTISER_ALLOWLIST("pixel_refused_by_allowlist"),
    /** The pixel fired on a page outside the offer's allowed referring domains. */
    PIXEL_REFERRER_NOT_ALLOWED("pixel_referrer_not_allowed"),
    /** A pixel asked to set or change a status; only the tokened server postback may. */
    PIXEL_STATUS_CHANGE("pixel_status_change"),
    /** A pixel reported an amount above the offer's pixel ceiling, or in another currency. */
    PIXEL_AMOUNT_NOT_ALLOWED("pixel_amount_not_allowed");

    private final String code;

    RejectionReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
