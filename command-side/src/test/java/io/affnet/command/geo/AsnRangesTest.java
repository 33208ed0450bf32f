package io.affnet.command.geo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsnRangesTest {

    private static byte[] ip(String literal) {
        InetAddress a = IpLiterals.parse(literal);
        assertThat(a).as(literal).isNotNull();
        return a.getAddress();
    }

    private static AsnRanges ranges(String v4, String v6) throws IOException {
        Path dir = Files.createTempDirectory("asn");
        Files.writeString(dir.resolve("v4.csv"), v4);
        Files.writeString(dir.resolve("v6.csv"), v6);
        return AsnRanges.load(dir.resolve("v4.csv"), dir.resolve("v6.csv"));
    }

    @Test
    void findsTheRangeHoldingAnAddressAtItsEdgesAndNothingInTheGaps() throws IOException {
        // 1.0.0.0-1.0.0.255 and 3.0.0.0-3.0.0.255
        AsnRanges r = ranges("""
                16777216,16777471,13335,"Cloudflare, Inc."
                50331648,50331903,16509,"Amazon.com, Inc."
                """, """
                42541956101370907050197289607612071936,42541956180599069564461627201156022271,15169,Google LLC
                """);
        assertThat(r.lookup(ip("1.0.0.0"))).isEqualTo(new AsnRanges.As(13335, "Cloudflare, Inc."));
        assertThat(r.lookup(ip("1.0.0.255")).number()).isEqualTo(13335);
        assertThat(r.lookup(ip("1.0.1.0"))).isNull();
        assertThat(r.lookup(ip("0.255.255.255"))).isNull();
        assertThat(r.lookup(ip("3.0.0.128")).number()).isEqualTo(16509);
        assertThat(r.lookup(ip("255.255.255.255"))).isNull();
        // 2001:4860::/32
        assertThat(r.lookup(ip("2001:4860:4860::8888"))).isEqualTo(new AsnRanges.As(15169, "Google LLC"));
        assertThat(r.lookup(ip("2001:4861::1"))).isNull();
        assertThat(r.size()).isEqualTo(3);
    }

    @Test
    void refusesUnsortedOrMalformedFiles() {
        assertThatThrownBy(() -> ranges("50331648,50331903,16509,A\n16777216,16777471,13335,B\n", ""))
                .isInstanceOf(IOException.class).hasMessageContaining("sorted");
        assertThatThrownBy(() -> ranges("16777216,16777471\n", ""))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
    }

    @Test
    void parsesOnlyIpLiteralsNeverHostNames() {
        assertThat(IpLiterals.parse("192.0.2.1")).isNotNull();
        assertThat(IpLiterals.parse("[2001:db8::1]")).isNotNull();
        assertThat(IpLiterals.parse("fe80::1%eth0")).isNotNull();
        assertThat(IpLiterals.parse("256.0.0.1")).isNull();
        assertThat(IpLiterals.parse("1.2.3")).isNull();
        assertThat(IpLiterals.parse("localhost")).isNull();
        assertThat(IpLiterals.parse("dead.beef")).isNull();
        assertThat(IpLiterals.parse("")).isNull();
    }
}
