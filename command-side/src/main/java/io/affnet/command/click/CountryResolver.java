package io.affnet.command.click;

import io.affnet.command.geo.GeoIp;
import io.affnet.command.geo.HostingNetworks;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Locale;

/** Finds the visitor's country (ISO-3166 alpha-2, upper case) or null when unknown. Pluggable: a GeoIP database can stand in. */
public interface CountryResolver {

    String country(HttpServletRequest request, String clientIp);

    /**
     * Where the visitor comes from, as far as known: country, region (ISO-3166-2), city, autonomous
     * system, and whether that system is a hosting network (data centre, cloud).
     */
    record Origin(String country, String region, String city, Long asn, boolean hosting) {
    }

    /** This resolver's country and nothing more. */
    default Origin origin(HttpServletRequest request, String clientIp) {
        return new Origin(country(request, clientIp), null, null, null, false);
    }

    /**
     * Trusts one header set by the edge in front of the platform (e.g. Cloudflare's {@code CF-IPCountry},
     * or {@code X-Country-Code} from a GeoIP-enabled load balancer). Only a two-letter value is taken.
     */
    static CountryResolver header(String headerName) {
        return (request, ip) -> {
            if (headerName == null || headerName.isBlank()) {
                return null;
            }
            String value = request.getHeader(headerName);
            if (value == null || value.length() != 2 || !Character.isLetter(value.charAt(0)) || !Character.isLetter(value.charAt(1))) {
                return null;
            }
            String upper = value.toUpperCase(Locale.ROOT);
            return "XX".equals(upper) || "T1".equals(upper) ? null : upper;
        };
    }

    /**
     * The trusted header's country when it carries one, otherwise the IP database's; region and city
     * only when they belong to that country. The autonomous system always comes from the database.
     */
    static CountryResolver headerThenDatabase(String headerName, GeoIp geo, HostingNetworks hosting) {
        CountryResolver header = header(headerName);
        return new CountryResolver() {
            @Override
            public String country(HttpServletRequest request, String clientIp) {
                return origin(request, clientIp).country();
            }

            @Override
            public Origin origin(HttpServletRequest request, String clientIp) {
                String trusted = header.country(request, clientIp);
                GeoIp.Location at = geo.locate(clientIp);
                boolean same = trusted == null || trusted.equals(at.country());
                return new Origin(trusted != null ? trusted : at.country(), same ? at.region() : null,
                        same ? at.city() : null, at.asn(), hosting.contains(at.asn()));
            }
        };
    }
}
