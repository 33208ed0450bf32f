package io.affnet.api.offer;

import java.util.List;
import java.util.Set;

/**
 * Everything about an offer that a click needs and captures: where it goes, what it pays, for how
 * long a click may convert, who may be sent there. A version of these terms is immutable: an edit
 * makes a new version, and clicks keep the version they were made under.
 *
 * @param destinationUrl       http(s) URL template with macros such as {click_id}, {sub1}
 * @param allowedCountries     ISO-3166 alpha-2 codes; empty = everywhere
 * @param allowedDeviceClasses device classes (desktop, phone, tablet, ...); empty = every device
 * @param fallbackUrl          where clicks go that may not reach the offer; null = a 404 page
 */
public record OfferTerms(
        String name,
        String advertiserId,
        String destinationUrl,
        String currency,
        OfferStatus status,
        List<Goal> goals,
        long attributionWindowSeconds,
        Caps caps,
        Set<String> allowedCountries,
        Set<String> allowedDeviceClasses,
        String fallbackUrl) {

    public static final long DEFAULT_WINDOW_SECONDS = 30L * 24 * 3600;

    public Goal goal(String name) {
        return goals.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }
}
