package io.affnet.sagas.delivery;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundTargetsTest {

    /** Every IPv4 special-purpose block: its first and last address refused, the addresses just outside allowed. */
    private static final String[][] IPV4_BLOCKS = {
            // first, last, just below (null = none), just above (null = none or itself special)
            {"0.0.0.0", "0.255.255.255", null, "1.0.0.0"},
            {"10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"},
            {"100.64.0.0", "100.127.255.255", "100.63.255.255", "100.128.0.0"},
            {"127.0.0.0", "127.255.255.255", "126.255.255.255", "128.0.0.0"},
            {"169.254.0.0", "169.254.255.255", "169.253.255.255", "169.255.0.0"},
            {"172.16.0.0", "172.31.255.255", "172.15.255.255", "172.32.0.0"},
            {"192.0.0.0", "192.0.0.255", "191.255.255.255", "192.0.1.0"},
            {"192.0.2.0", "192.0.2.255", "192.0.1.255", "192.0.3.0"},
            {"192.88.99.0", "192.88.99.255", "192.88.98.255", "192.88.100.0"},
            {"192.168.0.0", "192.168.255.255", "192.167.255.255", "192.169.0.0"},
            {"198.18.0.0", "198.19.255.255", "198.17.255.255", "198.20.0.0"},
            {"198.51.100.0", "198.51.100.255", "198.51.99.255", "198.51.101.0"},
            {"203.0.113.0", "203.0.113.255", "203.0.112.255", "203.0.114.0"},
            {"224.0.0.0", "239.255.255.255", "223.255.255.255", null},
            {"240.0.0.0", "255.255.255.255", null, null},
    };

    private static final String[][] IPV6_BLOCKS = {
            {"::", "::", null, null},
            {"::1", "::1", null, null},
            {"::ffff:0:0", "::ffff:ffff:ffff", null, null},
            {"64:ff9b::", "64:ff9b::ffff:ffff", null, null},
            {"64:ff9b:1::", "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", null, null},
            {"100::", "100::ffff:ffff:ffff:ffff", null, null},
            {"2001::", "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:200::"},
            {"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"},
            {"2002::", "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "2003::"},
            {"3fff::", "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null},
            {"5f00::", "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null},
            {"fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null},
            {"fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null},
            {"fec0::", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null},
            {"ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null, null},
    };

    private static final OutboundTargets NO_OWN = new OutboundTargets(List.of(), Set::of);

    @Test
    void refusesBothEdgesOfEveryIpv4SpecialPurposeBlockAndAllowsTheNeighbours() throws Exception {
        for (String[] block : IPV4_BLOCKS) {
            assertThat(OutboundTargets.refusal(InetAddress.getByName(block[0]))).as(block[0]).isNotNull();
            assertThat(OutboundTargets.refusal(InetAddress.getByName(block[1]))).as(block[1]).isNotNull();
            for (int i = 2; i < 4; i++) {
                if (block[i] != null) {
                    assertThat(OutboundTargets.refusal(InetAddress.getByName(block[i]))).as(block[i]).isNull();
                }
            }
        }
        assertThat(OutboundTargets.refusal(InetAddress.getByName("169.254.169.254"))).contains("metadata");
        assertThat(OutboundTargets.refusal(InetAddress.getByName("192.0.2.1"))).contains("TEST-NET-1");
    }

    @Test
    void refusesBothEdgesOfEveryIpv6SpecialPurposeBlockAndEverythingOutsideGlobalUnicast() throws Exception {
        for (String[] block : IPV6_BLOCKS) {
            for (int i = 0; i < 2; i++) {
                assertThat(OutboundTargets.refusal(v6(block[i]))).as(block[i]).isNotNull();
            }
            for (int i = 2; i < 4; i++) {
                if (block[i] != null) {
                    assertThat(OutboundTargets.refusal(v6(block[i]))).as(block[i]).isNull();
                }
            }
        }
        assertThat(OutboundTargets.refusal(v6("2001::1"))).contains("Teredo");
        assertThat(OutboundTargets.refusal(v6("2001:2::1"))).contains("benchmarking");
        assertThat(OutboundTargets.refusal(v6("1000::1"))).contains("outside global unicast");
        assertThat(OutboundTargets.refusal(v6("4000::1"))).contains("outside global unicast");
    }

    @Test
    void refusesIpv4CarriedInIpv6FormsWhateverTheIpv4AddressIs() throws Exception {
        for (String ip : new String[]{"::ffff:192.0.2.10", "::ffff:8.8.8.8", "::192.0.2.10", "::8.8.8.8",
                "64:ff9b::c000:20a", "64:ff9b::808:808", "2002:c000:20a::1", "2002:808:808::1", "2001:0:4136:e378::1"}) {
            assertThat(OutboundTargets.refusal(v6(ip))).as(ip).isNotNull();
        }
        // Java itself reads the mapped literal as the IPv4 address it carries: still refused when that one is.
        assertThat(OutboundTargets.refusal(InetAddress.getByName("::ffff:127.0.0.1"))).isNotNull();
    }

    @Test
    void allowsGlobalUnicastAddresses() throws Exception {
        for (String ip : new String[]{"1.0.0.0", "8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "192.0.1.255",
                "223.255.255.255", "2606:4700::1111", "2a00:1450:4001::1", "2001:200::1"}) {
            assertThat(NO_OWN.refusal(InetAddress.getByName(ip), 443)).as(ip).isNull();
        }
    }

    @Test
    void refusesEveryAddressOfTheHostsOwnInterfacesEvenAGlobalOne() throws Exception {
        OutboundTargets targets = new OutboundTargets(List.of(), () -> Set.of("[93, -72, -40, 34]"));
        assertThat(targets.refusal(InetAddress.getByName("93.184.216.34"), 80)).contains("own network interfaces");
        assertThat(targets.refusal(InetAddress.getByName("93.184.216.35"), 80)).isNull();
        assertThat(OutboundTargets.globalOnly().refusal(InetAddress.getByName("127.0.0.1"), 80)).isNotNull();
    }

    @Test
    void anOperatorsExceptionAllowsOnlyItsRangeAndPorts() throws Exception {
        OutboundTargets targets = new OutboundTargets(List.of("127.0.0.1/32 ports 32768-60999", "10.20.0.0/16"), Set::of);
        assertThat(targets.refusal(InetAddress.getByName("127.0.0.1"), 40000)).isNull();
        assertThat(targets.refusal(InetAddress.getByName("127.0.0.1"), 9200)).isNotNull();
        assertThat(targets.refusal(InetAddress.getByName("127.0.0.2"), 40000)).isNotNull();
        assertThat(targets.refusal(InetAddress.getByName("10.20.3.4"), 5432)).isNull();
        assertThat(targets.refusal(InetAddress.getByName("10.21.0.1"), 80)).isNotNull();
        assertThatThrownBy(() -> new OutboundTargets(List.of("127.0.0.1 ports"), Set::of))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesIpv4HostNamesInNonCanonicalForms() {
        for (String host : new String[]{"0x7f000001", "0x7f.0.0.1", "2130706433", "0177.0.0.1", "127.1", "127.0.1",
                "127.000.000.001", "1.2.3.04", "017700000001", "127.0.0.1.", "0", "256.0.0.1", "[::ffff:7f00:1]",
                "[::ffff:127.0.0.1]", "[::ffff:8.8.8.8]"}) {
            assertThat(OutboundTargets.nonCanonicalHost(host)).as(host).isNotNull();
        }
        for (String host : new String[]{"127.0.0.1", "8.8.8.8", "example.com", "a1.example", "3com.example", "[::1]",
                "[2606:4700::1111]"}) {
            assertThat(OutboundTargets.nonCanonicalHost(host)).as(host).isNull();
        }
    }

    private static InetAddress v6(String text) throws Exception {
        return Inet6Address.getByAddress(null, InetAddress.getByName(text).getAddress().length == 16
                ? InetAddress.getByName(text).getAddress() : mapped(InetAddress.getByName(text).getAddress()), null);
    }

    private static byte[] mapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }
}
