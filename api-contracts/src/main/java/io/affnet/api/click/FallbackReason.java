package io.affnet.api.click;

/** Why a click did not reach its offer. */
public enum FallbackReason {
    TENANT_SUSPENDED,
    LINK_DISABLED,
    AFFILIATE_SUSPENDED,
    OFFER_PAUSED,
    CAP_REACHED,
    COUNTRY_NOT_ALLOWED,
    DEVICE_NOT_ALLOWED,
    NO_ELIGIBLE_OFFER,
    /** The visitor came from a hosting network and the offer refuses such clicks. */
    DATACENTER_TRAFFIC
}
