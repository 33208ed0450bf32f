package io.affnet.api.config;

/**
 * The Redis layout of the click path's lookup cache, shared by the projection that writes it and the
 * nodes that read it. Values are JSON of the {@code Cached*} records. Every key but the link's carries
 * the tenant; a link is found by its public code (globally unique, unguessable), and its value names
 * the tenant. After each write the projection publishes the whole key on {@link #CHANNEL}, so every
 * node drops its in-process copy at once. Values are written through {@link ConfigCacheJson}.
 */
public final class ConfigCacheKeys {

    public static final String CHANNEL = "affnet:config-changed";

    private ConfigCacheKeys() {
    }

    public static String link(String code) {
        return "affnet:link:" + code;
    }

    public static String offer(String tenantId, String offerId) {
        return "affnet:t:" + tenantId + ":offer:" + offerId;
    }

    public static String affiliate(String tenantId, String affiliateId) {
        return "affnet:t:" + tenantId + ":affiliate:" + affiliateId;
    }

    public static String tenant(String tenantId) {
        return "affnet:tenant:" + tenantId;
    }
}
