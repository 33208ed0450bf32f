package io.affnet.command.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an IP address is: country (and region and city when the database has them) from a MaxMind
 * {@code .mmdb} file, autonomous system from a GeoLite2-ASN {@code .mmdb} or ip-location-db's ASN
 * ranges. Everything is read into memory when loaded, so a lookup does no I/O; {@link #reloadIfChanged()}
 * swaps in new files (after {@code ./affnet geoip update}) without a restart, and keeps the old data if
 * the new files cannot be read.
 */
public final class GeoIp {

    private static final Logger log = LoggerFactory.getLogger(GeoIp.class);

    /** What the databases know about one address; every part may be null. */
    public record Location(String country, String region, String city, Long asn, String asOrganisation) {
        public static final Location UNKNOWN = new Location(null, null, null, null, null);
    }

    /**
     * The files to read. {@code countryDatabase}: a GeoIP2/GeoLite2 Country or City database, or
     * ip-location-db's country database ({@code country_code}). ASN: a GeoLite2-ASN database when
     * {@code asnDatabase} is set, else the ip-location-db CSV ranges. Any may be null or missing.
     */
    public record Sources(Path countryDatabase, Path asnDatabase, Path asnIpv4Csv, Path asnIpv6Csv) {
        List<Path> present() {
            List<Path> out = new ArrayList<>();
            for (Path p : new Path[]{countryDatabase, asnDatabase, asnIpv4Csv, asnIpv6Csv}) {
                if (p != null && Files.isReadable(p)) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private record Loaded(Reader country, Reader asnDatabase, AsnRanges asnRanges, List<FileTime> stamps) {
    }

    private final Sources sources;
    private volatile Loaded loaded;

    private GeoIp(Sources sources, Loaded loaded) {
        this.sources = sources;
        this.loaded = loaded;
    }

    /** Loads what of {@code sources} exists; missing files leave that part unknown (logged). */
    public static GeoIp open(Sources sources) {
        Loaded loaded;
        try {
            loaded = load(sources);
        } catch (IOException | RuntimeException e) {
            log.warn("GeoIP data could not be read ({}); countries come only from the trusted header", e.toString());
            loaded = new Loaded(null, null, null, List.of());
        }
        return new GeoIp(sources, loaded);
    }

    /**
     * Nothing loaded yet: the first {@link #reloadIfChanged()} loads {@code sources} (the platform does it
     * on a background thread, so start-up does not wait for the half a million ASN ranges).
     */
    public static GeoIp loadedLater(Sources sources) {
        return new GeoIp(sources, new Loaded(null, null, null, null));
    }

    /** Nothing known: every lookup answers {@link Location#UNKNOWN}. */
    public static GeoIp none() {
        return new GeoIp(new Sources(null, null, null, null), new Loaded(null, null, null, List.of()));
    }

    public boolean hasCountries() {
        return loaded.country != null;
    }

    public boolean hasAsns() {
        return loaded.asnDatabase != null || loaded.asnRanges != null;
    }

    /** The address's location; {@link Location#UNKNOWN} for what is not an IP literal. Never does I/O. */
    public Location locate(String ip) {
        Loaded l = loaded;
        if (l.country == null && l.asnDatabase == null && l.asnRanges == null) {
            return Location.UNKNOWN;
        }
        InetAddress address = IpLiterals.parse(ip);
        if (address == null) {
            return Location.UNKNOWN;
        }
        String country = null;
        String region = null;
        String city = null;
        Long asn = null;
        String organisation = null;
        try {
            if (l.country != null) {
                Entry e = l.country.get(address, Entry.class);
                if (e != null) {
                    country = e.country();
                    region = e.region();
                    city = e.city();
                    asn = e.asn;
                    organisation = e.asOrganisation;
                }
            }
            if (l.asnDatabase != null) {
                Entry e = l.asnDatabase.get(address, Entry.class);
                if (e != null && e.asn != null) {
                    asn = e.asn;
                    organisation = e.asOrganisation;
                }
            } else if (l.asnRanges != null) {
                AsnRanges.As as = l.asnRanges.lookup(address.getAddress());
                if (as != null) {
                    asn = as.number();
                    organisation = as.organisation();
                }
            }
        } catch (IOException e) {
            log.debug("GeoIP lookup failed: {}", e.toString());
            return Location.UNKNOWN;
        }
        return new Location(country, region, city, asn, organisation);
    }

    /** Reloads when a file changed since it was read; true when new data is in use. */
    public synchronized boolean reloadIfChanged() {
        if (loaded.stamps != null && stamps(sources).equals(loaded.stamps)) {
            return false;
        }
        try {
            loaded = load(sources);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("GeoIP data changed but could not be read ({}); keeping the previous data", e.toString());
            return false;
        }
    }

    private static Loaded load(Sources sources) throws IOException {
        long started = System.nanoTime();
        List<FileTime> stamps = stamps(sources);
        Reader country = open(sources.countryDatabase());
        Reader asnDatabase = open(sources.asnDatabase());
        AsnRanges ranges = asnDatabase == null && sources.asnIpv4Csv() != null && Files.isReadable(sources.asnIpv4Csv())
                ? AsnRanges.load(sources.asnIpv4Csv(), sources.asnIpv6Csv()) : null;
        log.info("GeoIP: countries {}, ASNs {} (loaded in {} ms)",
                country == null ? "unknown (no database at " + sources.countryDatabase() + ")"
                        : sources.countryDatabase() + " (" + country.getMetadata().getDatabaseType() + ", built "
                        + country.getMetadata().getBuildDate().toInstant() + ")",
                asnDatabase != null ? sources.asnDatabase()
                        : ranges != null ? sources.asnIpv4Csv().getParent() + " (" + ranges.size() + " ranges)"
                        : "unknown (no data at " + sources.asnIpv4Csv() + ")",
                (System.nanoTime() - started) / 1_000_000);
        return new Loaded(country, asnDatabase, ranges, stamps);
    }

    private static Reader open(Path file) throws IOException {
        if (file == null || !Files.isReadable(file)) {
            return null;
        }
        // MEMORY: the whole file on the heap, no mapped file to change under us when it is updated.
        return new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache(4096));
    }

    private static List<FileTime> stamps(Sources sources) {
        List<FileTime> out = new ArrayList<>();
        for (Path p : sources.present()) {
            try {
                out.add(Files.getLastModifiedTime(p));
            } catch (IOException e) {
                out.add(null);
            }
        }
        return out;
    }

    /** A GeoIP2 Country/City/ASN record, or ip-location-db's {@code country_code}; absent keys are null. */
    public static final class Entry {
        final String countryCode;
        final Named countryNode;
        final List<Named> subdivisions;
        final Named cityNode;
        final Long asn;
        final String asOrganisation;

        @MaxMindDbConstructor
        public Entry(@MaxMindDbParameter(name = "country_code") String countryCode,
                     @MaxMindDbParameter(name = "country") Named country,
                     @MaxMindDbParameter(name = "subdivisions") List<Named> subdivisions,
                     @MaxMindDbParameter(name = "city") Named city,
                     @MaxMindDbParameter(name = "autonomous_system_number") Long asn,
                     @MaxMindDbParameter(name = "autonomous_system_organization") String asOrganisation) {
            this.countryCode = countryCode;
            this.countryNode = country;
            this.subdivisions = subdivisions;
            this.cityNode = city;
            this.asn = asn;
            this.asOrganisation = asOrganisation;
        }

        String country() {
            String code = countryCode != null ? countryCode : countryNode == null ? null : countryNode.isoCode;
            if (code == null || code.length() != 2) {
                return null;
            }
            String upper = code.toUpperCase(Locale.ROOT);
            return upper.equals("ZZ") || upper.equals("XX") ? null : upper;
        }

        String region() {
            if (subdivisions == null || subdivisions.isEmpty() || subdivisions.get(0).isoCode == null) {
                return null;
            }
            String c = country();
            return c == null ? null : c + "-" + subdivisions.get(0).isoCode;
        }

        String city() {
            return cityNode == null || cityNode.names == null ? null : cityNode.names.get("en");
        }
    }

    /** A GeoIP2 place: its ISO code and its names by language. */
    public static final class Named {
        final String isoCode;
        final Map<String, String> names;

        @MaxMindDbConstructor
        public Named(@MaxMindDbParameter(name = "iso_code") String isoCode,
                     @MaxMindDbParameter(name = "names") Map<String, String> names) {
            this.isoCode = isoCode;
            this.names = names;
        }

    }
}
