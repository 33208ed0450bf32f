package io.affnet.distribution;

/**
 * What is known about a click when its offer is chosen.
 *
 * @param country     ISO country code or "?" when unknown
 * @param deviceClass e.g. mobile, desktop, tablet
 * @param source      traffic source (affiliate sub-id, placement, ...)
 * @param hourOfDay   0..23 in the link's reporting time zone
 */
public record Context(String country, String deviceClass, String source, int hourOfDay) {

    public static final Context UNKNOWN = new Context("?", "?", "?", 0);

    public Context {
        country = country == null || country.isBlank() ? "?" : country;
        deviceClass = deviceClass == null || deviceClass.isBlank() ? "?" : deviceClass;
        source = source == null || source.isBlank() ? "?" : source;
        if (hourOfDay < 0 || hourOfDay > 23) {
            throw new IllegalArgumentException("hourOfDay must be 0..23: " + hourOfDay);
        }
    }
}
