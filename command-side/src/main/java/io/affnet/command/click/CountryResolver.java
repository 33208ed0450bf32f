package io.affnet.command.click;

import jakarta.servlet.http.HttpServletRequest;

/** Finds the visitor's country (ISO-3166 alpha-2, upper case) or null when unknown. Pluggable: a GeoIP database can stand in. */
public interface CountryResolver {

    String country(HttpServletRequest request, String clientIp);

    /**
     * Trusts one header set by the edge in front of the platform (e.g. Cloudflare's {@code CF-IPCountry},
     * or {@code X-Country-Code} from a GeoIP-enabled load balancer). Only a two-letter value is taken.
     */
    static CountryResolver header(String headerName) {
        return (request, ip) -> {
            String value = request.getHeader(headerName);
            if (value == null || value.length() != 2 || !Character.isLetter(value.charAt(0)) || !Character.isLetter(value.charAt(1))) {
                return null;
            }
            String upper = value.toUpperCase(java.util.Locale.ROOT);
            return "XX".equals(upper) || "T1".equals(upper) ? null : upper;
        };
    }
}
