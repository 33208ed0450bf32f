package io.affnet.api.offer;

import java.util.Set;

/**
 * Whether an offer accepts browser-pixel conversions ({@code GET /p}), the weakest signal there is: off
 * unless the tenant turns it on. {@code allowedReferrerDomains}: when not empty, a pixel counts only when
 * the page that fired it is on one of these domains or a subdomain of one. {@code maxAmountMinor}: the
 * highest sale amount a pixel may report, in minor units of the offer currency; null = a pixel carries
 * no amount at all (any sent is dropped, so the goal's fixed amounts apply and a share of sale pays
 * nothing). A pixel never changes a conversion's status; that takes the tokened server postback.
 */
public record PixelSettings(boolean enabled, Set<String> allowedReferrerDomains, Long maxAmountMinor) {

    public PixelSettings {
        allowedReferrerDomains = allowedReferrerDomains == null ? Set.of() : Set.copyOf(allowedReferrerDomains);
    }

    /** An offer that was never configured: pixels refused. */
    public static PixelSettings off() {
        return new PixelSettings(false, Set.of(), null);
    }
}
