package io.affnet.api.advertiser;

import java.util.List;

/**
 * The party paying for an offer's conversions. {@code postbackIpAllowlist}: CIDR ranges its postbacks
 * must come from (empty or null = from anywhere, the token alone authenticates).
 */
public record AdvertiserProfile(String name, String defaultCurrency, List<String> postbackIpAllowlist) {

    public AdvertiserProfile(String name, String defaultCurrency) {
        this(name, defaultCurrency, List.of());
    }
}
