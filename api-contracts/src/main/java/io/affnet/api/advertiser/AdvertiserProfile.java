package io.affnet.api.advertiser;

/** The party paying for an offer's conversions. */
public record AdvertiserProfile(String name, String defaultCurrency) {
}
