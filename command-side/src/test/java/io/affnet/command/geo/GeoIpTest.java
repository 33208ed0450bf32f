package io.affnet.command.geo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the ip-location-db data that {@code ./affnet test} fetches into {@code .affnet/geoip}
 * (AFFNET_GEOIP_DIR). The addresses are long-lived public ones whose holders do not move.
 */
class GeoIpTest {

    static GeoIp geo;

    static Path dataDir() {
        String configured = System.getenv("AFFNET_GEOIP_DIR");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../.affnet/geoip");
        assertThat(dir.resolve(GeoIpConfiguration.COUNTRY_FILE))
                .as("GeoIP data (run the tests through ./affnet test, which fetches it)").exists();
        return dir;
    }

    @BeforeAll
    static void load() {
        Path dir = dataDir();
        geo = GeoIp.open(new GeoIp.Sources(dir.resolve(GeoIpConfiguration.COUNTRY_FILE), null,
                dir.resolve(GeoIpConfiguration.ASN_IPV4_FILE), dir.resolve(GeoIpConfiguration.ASN_IPV6_FILE)));
    }

    @Test
    void findsCountryAndAutonomousSystemOfPublicAddresses() {
        GeoIp.Location ripe = geo.locate("193.0.6.139");
        assertThat(ripe.country()).isEqualTo("NL");
        assertThat(ripe.asn()).isEqualTo(3333L);

        GeoIp.Location google = geo.locate("8.8.8.8");
        assertThat(google.country()).isEqualTo("US");
        assertThat(google.asn()).isEqualTo(15169L);
        assertThat(google.asOrganisation()).isEqualTo("Google LLC");
    }

    @Test
    void findsIpv6AddressesAndIpv4MappedOnes() {
        GeoIp.Location google6 = geo.locate("2001:4860:4860::8888");
        assertThat(google6.country()).isEqualTo("US");
        assertThat(google6.asn()).isEqualTo(15169L);
        assertThat(geo.locate("::ffff:193.0.6.139").country()).isEqualTo("NL");
    }

    @Test
    void knowsNothingOfPrivateAddressesOrHostNames() {
        assertThat(geo.locate("10.1.2.3").country()).isNull();
        assertThat(geo.locate("127.0.0.1").asn()).isNull();
        assertThat(geo.locate("example.com")).isEqualTo(GeoIp.Location.UNKNOWN);
        assertThat(geo.locate("1.2.3.4.5")).isEqualTo(GeoIp.Location.UNKNOWN);
        assertThat(geo.locate(null)).isEqualTo(GeoIp.Location.UNKNOWN);
    }

    @Test
    void aUsersOwnAsnDatabaseIsOptionalAndMissingFilesLeaveThatPartUnknown() {
        Path dir = dataDir();
        GeoIp countriesOnly = GeoIp.open(new GeoIp.Sources(dir.resolve(GeoIpConfiguration.COUNTRY_FILE), null,
                dir.resolve("absent.csv"), null));
        assertThat(countriesOnly.hasCountries()).isTrue();
        assertThat(countriesOnly.hasAsns()).isFalse();
        assertThat(countriesOnly.locate("8.8.8.8")).isEqualTo(new GeoIp.Location("US", null, null, null, null));
    }

    @Test
    void reloadsOnlyWhenAFileChanged() throws Exception {
        Path tmp = Files.createTempDirectory("geoip");
        Path country = tmp.resolve(GeoIpConfiguration.COUNTRY_FILE);
        GeoIp reloading = GeoIp.open(new GeoIp.Sources(country, null, null, null));
        assertThat(reloading.locate("8.8.8.8").country()).isNull();
        assertThat(reloading.reloadIfChanged()).isFalse();

        Files.copy(dataDir().resolve(GeoIpConfiguration.COUNTRY_FILE), country);
        assertThat(reloading.reloadIfChanged()).isTrue();
        assertThat(reloading.locate("8.8.8.8").country()).isEqualTo("US");
        assertThat(reloading.reloadIfChanged()).isFalse();

        Files.writeString(country, "not a database");
        Files.setLastModifiedTime(country, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(reloading.reloadIfChanged()).as("an unreadable file keeps the data in use").isFalse();
        assertThat(reloading.locate("8.8.8.8").country()).isEqualTo("US");
    }
}
