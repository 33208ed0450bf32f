package io.affnet.api.config;

/**
 * The Redis layout of the click path's lookup cache, shared by the projection that writes it and the
 * nodes that read it. Values are JSON of the {@code Cached*} records. Every key but the link's carries
 * the tenant; a link is found by its public code (globally unique, unguessable), and its value names
 * the tenant. After each write the projection publishes the whole key on {@link #CHANNEL}, so every
 * node drops its in-process copy at once. Values are written through {@link ConfigCacheJson}.
 * The postback credentials' names ({@link #postbackToken}, {@link #postbackSettings}, {@link #advertiser})
 * have no value in Redis: they are only announced on the channel, after the transaction that changed
 * their PostgreSQL read model commits.
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

    /** A postback token, by its keyed hash (as stored in {@code postback_token}, never the token itself). */
    public static String postbackToken(String tokenHash) {
        return "affnet:postback-token:" + tokenHash;
    }

    public static String postbackSettings(String tenantId) {
        return "affnet:t:" + tenantId + ":postback-settings";
    }

    /** An advertiser's row of {@code config_entity} (its postback IP allowlist). */
    public static String advertiser(String tenantId, String advertiserId) {
        return "affnet:t:" + tenantId + ":advertiser:" + advertiserId;
    }

    /** An offer's browser-pixel settings (its {@code offer-pixel} row of {@code config_entity}). */
    public static String offerPixel(String tenantId, String offerId) {
        return "affnet:t:" + tenantId + ":offer-pixel:" + offerId;
    }
}
