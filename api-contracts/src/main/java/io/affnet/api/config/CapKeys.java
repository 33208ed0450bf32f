package io.affnet.api.config;

import java.time.LocalDate;

/**
 * Redis counters of conversions that count against caps, per offer and per affiliate on an offer, per
 * day and month of the tenant's time zone and over the offer's lifetime. The conversion path
 * increments them; the click path reads them to send capped traffic to the fallback.
 */
public final class CapKeys {

    private CapKeys() {
    }

    public static String offerDay(String tenantId, String offerId, LocalDate day) {
        return base(tenantId, offerId) + ":d:" + day;
    }

    public static String offerMonth(String tenantId, String offerId, LocalDate day) {
        return base(tenantId, offerId) + ":m:" + day.toString().substring(0, 7);
    }

    public static String offerLifetime(String tenantId, String offerId) {
        return base(tenantId, offerId) + ":all";
    }

    public static String affiliateDay(String tenantId, String offerId, String affiliateId, LocalDate day) {
        return base(tenantId, offerId) + ":a:" + affiliateId + ":d:" + day;
    }

    public static String affiliateMonth(String tenantId, String offerId, String affiliateId, LocalDate day) {
        return base(tenantId, offerId) + ":a:" + affiliateId + ":m:" + day.toString().substring(0, 7);
    }

    public static String affiliateLifetime(String tenantId, String offerId, String affiliateId) {
        return base(tenantId, offerId) + ":a:" + affiliateId + ":all";
    }

    private static String base(String tenantId, String offerId) {
        return "affnet:t:" + tenantId + ":cap:" + offerId;
    }
}
