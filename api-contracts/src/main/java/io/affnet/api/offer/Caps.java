package io.affnet.api.offer;

/**
 * Conversion caps of an offer, counted in the tenant's time zone; {@code null} means no cap. The
 * {@code perAffiliate*} caps apply to each affiliate on this offer separately.
 */
public record Caps(Long daily, Long monthly, Long lifetime,
                   Long perAffiliateDaily, Long perAffiliateMonthly, Long perAffiliateLifetime) {

    public static Caps none() {
        return new Caps(null, null, null, null, null, null);
    }
}
