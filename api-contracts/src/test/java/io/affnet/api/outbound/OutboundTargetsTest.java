package io.affnet.api.outbound;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundTargetsTest {

    @Test
    void refusesLoopbackPrivateLinkLocalCgnatMetadataAndUnspecifiedAddresses() throws Exception {
        for (String ip : new String[]{"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                "169.254.169.254", "169.254.1.1", "100.64.0.1", "100.127.255.255", "0.0.0.0", "::1", "::", "fe80::1",
                "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "224.0.0.1"}) {
            assertThat(OutboundTargets.refusal(InetAddress.getByName(ip))).as(ip).isNotNull();
        }
        assertThat(OutboundTargets.refusal(InetAddress.getByName("169.254.169.254"))).contains("metadata");
    }

    @Test
    void allowsPublicAddresses() throws Exception {
        for (String ip : new String[]{"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111"}) {
            assertThat(OutboundTargets.refusal(InetAddress.getByName(ip))).as(ip).isNull();
        }
    }
}
