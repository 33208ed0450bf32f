package io.affnet.api.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses an outbound postback may reach. By default only public unicast ones: a postback URL is
 * written by a tenant, so without this check it could make the platform call its own metadata service
 * (169.254.169.254), databases or admin ports (SSRF).
 */
public final class OutboundTargets {

    private OutboundTargets() {
    }

    /** Why the address is refused for public-only targets, or null when it is a public address. */
    public static String refusal(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified address (0.0.0.0 / ::)";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return address.getHostAddress().equals("169.254.169.254") ? "the cloud metadata address" : "a link-local address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
                return "a private address";
            }
            if (a0 == 100 && a1 >= 64 && a1 <= 127) {
                return "a carrier-grade NAT address";
            }
            if (a0 == 0 || a0 >= 240 || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) || (a0 == 198 && (a1 == 18 || a1 == 19))) {
                return "a reserved address";
            }
        } else if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return "a private (unique local) address";
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return "a site-local address";
            }
            if (isEmbeddedIpv4(b)) {
                try {
                    InetAddress v4 = InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
                    String inner = refusal(v4);
                    return inner == null ? null : inner + " (embedded in IPv6)";
                } catch (java.net.UnknownHostException e) {
                    return "an unreadable address";
                }
            }
        }
        return null;
    }

    /** IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses carry an IPv4 address to check. */
    private static boolean isEmbeddedIpv4(byte[] b) {
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return compatible || nat64;
    }
}
