package io.affnet.command.geo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The IP databases: a user's own GeoIP2/GeoLite2 files when configured, otherwise the ip-location-db
 * files that {@code ./affnet} fetches into {@code affnet.geoip.dir}. Checked for changes every
 * {@code affnet.geoip.reload-check} and reloaded in place.
 */
@Configuration(proxyBeanMethods = false)
public class GeoIpConfiguration {

    /** File names in {@code affnet.geoip.dir}, as {@code scripts/geoip.sh} writes them. */
    public static final String COUNTRY_FILE = "geo-whois-asn-country.mmdb";
    public static final String ASN_IPV4_FILE = "asn-ipv4-num.csv";
    public static final String ASN_IPV6_FILE = "asn-ipv6-num.csv";

    @Bean
    GeoIp geoIp(@Value("${affnet.geoip.enabled:true}") boolean enabled,
                @Value("${affnet.geoip.dir:.affnet/geoip}") String dir,
                @Value("${affnet.geoip.database:}") String database,
                @Value("${affnet.geoip.asn-database:}") String asnDatabase) {
        if (!enabled) {
            return GeoIp.none();
        }
        Path d = Path.of(dir);
        return GeoIp.loadedLater(new GeoIp.Sources(database.isBlank() ? d.resolve(COUNTRY_FILE) : Path.of(database),
                asnDatabase.isBlank() ? null : Path.of(asnDatabase), d.resolve(ASN_IPV4_FILE), d.resolve(ASN_IPV6_FILE)));
    }

    @Bean
    HostingNetworks hostingNetworks(@Value("${affnet.geoip.datacenter-asns:}") String extra) {
        List<Long> asns = new ArrayList<>();
        for (String part : extra.split(",")) {
            String asn = part.strip();
            if (!asn.isEmpty()) {
                try {
                    asns.add(Long.parseLong(asn.startsWith("AS") ? asn.substring(2) : asn));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("affnet.geoip.datacenter-asns: '" + asn + "' is not an AS number");
                }
            }
        }
        return HostingNetworks.shippedPlus(asns);
    }

    /**
     * One daemon thread that loads the data right after start-up, then stats the files now and then; a
     * change is loaded beside the old data, then swapped in.
     */
    @Bean
    Reloader geoIpReloader(GeoIp geo, @Value("${affnet.geoip.reload-check:60s}") Duration every) {
        return new Reloader(geo, every);
    }

    static final class Reloader implements AutoCloseable {
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geoip-reload");
            t.setDaemon(true);
            return t;
        });

        Reloader(GeoIp geo, Duration every) {
            executor.execute(geo::reloadIfChanged);
            if (!every.isZero() && !every.isNegative()) {
                executor.scheduleWithFixedDelay(geo::reloadIfChanged, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
