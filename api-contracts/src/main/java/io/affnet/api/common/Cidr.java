package io.affnet.api.common;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}; a bare address is /32 or /128). */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        if (text == null || text.isBlank() || text.length() > 64) {
            throw new IllegalArgumentException("not a CIDR range: " + text);
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a CIDR range: " + text);
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int max = bytes.length * 8;
            int prefix = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length out of range in " + text);
            }
            return new Cidr(bytes, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR range: " + text);
        }
    }

    public boolean contains(String ip) {
        if (ip == null || !ip.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            byte[] candidate = InetAddress.getByName(ip).getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int bits = candidate.length * 8;
            BigInteger mask = prefix == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(bits - prefix);
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, network).and(mask));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
