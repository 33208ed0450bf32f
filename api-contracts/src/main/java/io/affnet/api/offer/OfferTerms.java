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
 * @param datacenterTraffic    clicks from hosting networks: allowed, flagged or refused; null (offers
 *                             saved before the setting existed) = allowed
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
        String fallbackUrl,
        DatacenterTraffic datacenterTraffic) {

    public static final long DEFAULT_WINDOW_SECONDS = 30L * 24 * 3600;

    /** Terms without a data-centre setting (clicks from hosting networks are allowed). */
    public OfferTerms(String name, String advertiserId, String destinationUrl, String currency, OfferStatus status,
                      List<Goal> goals, long attributionWindowSeconds, Caps caps, Set<String> allowedCountries,
                      Set<String> allowedDeviceClasses, String fallbackUrl) {
        this(name, advertiserId, destinationUrl, currency, status, goals, attributionWindowSeconds, caps,
                allowedCountries, allowedDeviceClasses, fallbackUrl, null);
    }

    /** The data-centre setting in force (ALLOW when none was set). */
    public DatacenterTraffic datacenterPolicy() {
        return datacenterTraffic == null ? DatacenterTraffic.ALLOW : datacenterTraffic;
    }

    /** The same terms with another status. */
    public OfferTerms withStatus(OfferStatus newStatus) {
        return new OfferTerms(name, advertiserId, destinationUrl, currency, newStatus, goals, attributionWindowSeconds,
                caps, allowedCountries, allowedDeviceClasses, fallbackUrl, datacenterTraffic);
    }

    public Goal goal(String name) {
        return goals.stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    }
}
