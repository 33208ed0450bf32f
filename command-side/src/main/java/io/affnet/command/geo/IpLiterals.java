package io.affnet.command.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns an IP literal into an address without ever asking DNS: the client IP may come from a header,
 * and a host name there must not cost a lookup (nor reach a resolver) on the click path.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    /** The address of a dotted IPv4 or a textual IPv6 literal; null for anything else. */
    static InetAddress parse(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 64) {
            return null;
        }
        String s = ip;
        if (s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        try {
            if (s.indexOf(':') < 0) {
                byte[] v4 = ipv4(s);
                return v4 == null ? null : InetAddress.getByAddress(v4);
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                    return null;
                }
            }
            // Only hex digits, colons and dots: a literal, which getByName parses without a lookup.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }
}
