package io.affnet.domain.click;

import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.ReviewRules;
import io.affnet.api.offer.PixelSettings;

import java.time.ZoneId;

/** What a click needs to know about its tenant when it decides a report, beyond its own history. */
public interface ConversionContext {

    /** False for a suspended tenant: its reports are refused. */
    boolean active(TenantId tenant);

    /**
     * Whether the advertiser accepts server-to-server reports from this address (its allowlist, if it
     * has one). A refusal is counted for the tenant to see.
     */
    boolean admitsSender(TenantId tenant, String advertiserId, String senderIp);

    /** The offer's browser-pixel settings (off for an offer never configured). */
    PixelSettings pixel(TenantId tenant, String offerId);

    /** Whether the advertiser has a postback IP allowlist (its offers then take pixels only when turned on). */
    boolean advertiserHasAllowlist(TenantId tenant, String advertiserId);

    /** The tenant's fraud rules. */
    FraudRules fraudRules(TenantId tenant);

    /** The tenant's review rules: which conversions are held for review instead of approved. */
    ReviewRules reviewRules(TenantId tenant);

    /** The affiliate's hashed email (for the self-referral rule), or null. */
    String affiliateEmailHash(TenantId tenant, String affiliateId);

    /** The tenant's time zone: caps count per day and month there. */
    ZoneId zone(TenantId tenant);
}
