package io.affnet.api.config;

/** The kinds of configuration a tenant keeps, as the {@code config_entity} read model names them. */
public final class ConfigEntityKinds {

    public static final String ADVERTISER = "advertiser";
    public static final String OFFER = "offer";
    public static final String AFFILIATE = "affiliate";
    public static final String LINK = "link";
    /** An offer's browser-pixel settings ({@code PixelSettings}), kept apart from its versioned terms. */
    public static final String OFFER_PIXEL = "offer-pixel";

    private ConfigEntityKinds() {
    }
}
