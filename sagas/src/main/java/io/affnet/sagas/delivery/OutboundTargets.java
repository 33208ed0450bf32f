package io.affnet.sagas.delivery;

import io.affnet.api.outbound.PostbackTargets;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which addresses an outbound postback may reach. A postback URL is written by a tenant, so without this
 * check it could make the platform call its own stores, metadata service or admin ports (SSRF). The rule
 * allows only what is known to be good: a globally routable unicast address (IPv4 outside every block of
 * the IANA IPv4 special-purpose registry; IPv6 inside 2000::/3 and outside the IPv6 special-purpose
 * blocks there), that is not an address of one of this host's own interfaces. The operator may name
 * exceptions for the whole installation ({@code affnet.outbound.private-targets}: {@code CIDR} or
 * {@code CIDR ports FROM-TO}); no tenant setting can.
 */
public final class OutboundTargets implements PostbackTargets {

    /** An address block of the IANA special-purpose registries (or an operator's exception). */
    record Block(byte[] network, int bits, String name, int fromPort, int toPort) {

        static Block of(String cidr, String name) {
            return of(cidr, name, 0, 65535);
        }

        static Block of(String cidr, String name, int fromPort, int toPort) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("'" + cidr + "' is not in CIDR notation (address/bits)");
            }
            byte[] network = literal(cidr.substring(0, slash));
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length out of range");
            }
            return new Block(network, bits, name, fromPort, toPort);
        }

        boolean contains(byte[] address, int port) {
            if (address.length != network.length || port < fromPort || port > toPort) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** IANA IPv4 Special-Purpose Address Registry, every block that is not globally reachable or is reserved. */
    static final List<Block> IPV4_SPECIAL = List.of(
            Block.of("0.0.0.0/8", "a 'this network' address (0.0.0.0/8)"),
            Block.of("10.0.0.0/8", "a private address (10.0.0.0/8)"),
            Block.of("100.64.0.0/10", "a shared (carrier-grade NAT) address (100.64.0.0/10)"),
            Block.of("127.0.0.0/8", "a loopback address (127.0.0.0/8)"),
            Block.of("169.254.169.254/32", "the cloud metadata address"),
            Block.of("169.254.0.0/16", "a link-local address (169.254.0.0/16)"),
            Block.of("172.16.0.0/12", "a private address (172.16.0.0/12)"),
            Block.of("192.0.0.0/24", "an IETF protocol assignment (192.0.0.0/24)"),
            Block.of("192.0.2.0/24", "a documentation address (TEST-NET-1, 192.0.2.0/24)"),
            Block.of("192.88.99.0/24", "a deprecated 6to4 relay anycast address (192.88.99.0/24)"),
            Block.of("192.168.0.0/16", "a private address (192.168.0.0/16)"),
            Block.of("198.18.0.0/15", "a benchmarking address (198.18.0.0/15)"),
            Block.of("198.51.100.0/24", "a documentation address (TEST-NET-2, 198.51.100.0/24)"),
            Block.of("203.0.113.0/24", "a documentation address (TEST-NET-3, 203.0.113.0/24)"),
            Block.of("224.0.0.0/4", "a multicast address (224.0.0.0/4)"),
            Block.of("240.0.0.0/4", "a reserved or broadcast address (240.0.0.0/4)"));

    /** Global unicast IPv6 (RFC 4291): everything else is loopback, link-local, unique-local, multicast, mapped... */
    static final Block IPV6_GLOBAL_UNICAST = Block.of("2000::/3", "global unicast");

    /** IANA IPv6 Special-Purpose Address Registry: the blocks outside 2000::/3 named for clearer refusals, and those inside it. */
    static final List<Block> IPV6_SPECIAL = List.of(
            Block.of("::/128", "the unspecified address (::)"),
            Block.of("::1/128", "the loopback address (::1)"),
            Block.of("::ffff:0:0/96", "an IPv4-mapped address (::ffff:0:0/96)"),
            Block.of("::/96", "an IPv4-compatible address (::/96)"),
            Block.of("64:ff9b::/96", "a NAT64 address (64:ff9b::/96)"),
            Block.of("64:ff9b:1::/48", "a local-use NAT64 address (64:ff9b:1::/48)"),
            Block.of("100::/64", "a discard-only address (100::/64)"),
            Block.of("2001::/32", "a Teredo address (2001::/32)"),
            Block.of("2001:2::/48", "a benchmarking address (2001:2::/48)"),
            Block.of("2001:10::/28", "an ORCHID address (2001:10::/28)"),
            Block.of("2001:20::/28", "an ORCHIDv2 address (2001:20::/28)"),
            Block.of("2001::/23", "an IETF protocol assignment (2001::/23)"),
            Block.of("2001:db8::/32", "a documentation address (2001:db8::/32)"),
            Block.of("2002::/16", "a 6to4 address (2002::/16)"),
            Block.of("3fff::/20", "a documentation address (3fff::/20)"),
            Block.of("5f00::/16", "a segment-routing (SRv6) SID (5f00::/16)"),
            Block.of("fc00::/7", "a unique-local (private) address (fc00::/7)"),
            Block.of("fe80::/10", "a link-local address (fe80::/10)"),
            Block.of("fec0::/10", "a site-local address (fec0::/10)"),
            Block.of("ff00::/8", "a multicast address (ff00::/8)"));

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])){3}");

    private final List<Block> exceptions;
    private final Supplier<Set<String>> ownAddresses;

    /**
     * @param privateTargets the operator's exceptions, each {@code CIDR} or {@code CIDR ports FROM-TO}
     *                       (for instance {@code 10.20.0.0/16 ports 8080-8080} for a receiver in the same
     *                       private network); empty = none, the default
     */
    public OutboundTargets(List<String> privateTargets) {
        this(privateTargets, OutboundTargets::interfaceAddresses);
    }

    OutboundTargets(List<String> privateTargets, Supplier<Set<String>> ownAddresses) {
        List<Block> parsed = new ArrayList<>();
        for (String entry : privateTargets == null ? List.<String>of() : privateTargets) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("\\s+");
            if (parts.length == 1) {
                parsed.add(Block.of(parts[0], "an operator's private target"));
            } else if (parts.length == 3 && parts[1].equalsIgnoreCase("ports") && parts[2].matches("[0-9]{1,5}-[0-9]{1,5}")) {
                String[] range = parts[2].split("-");
                parsed.add(Block.of(parts[0], "an operator's private target", Integer.parseInt(range[0]),
                        Integer.parseInt(range[1])));
            } else {
                throw new IllegalArgumentException("affnet.outbound.private-targets entry '" + entry
                        + "' is neither 'CIDR' nor 'CIDR ports FROM-TO'");
            }
        }
        this.exceptions = List.copyOf(parsed);
        this.ownAddresses = ownAddresses;
    }

    /** The default: global unicast only, no exception. */
    public static OutboundTargets globalOnly() {
        return new OutboundTargets(List.of());
    }

    @Override
    public String nonCanonical(String host) {
        return nonCanonicalHost(host);
    }

    @Override
    public String refusal(String host, int port) {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress address : InetAddress.getAllByName(name)) {
                String refusal = refusal(address, port);
                if (refusal != null) {
                    return refusal;
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Why a connection to this address and port is refused, or null when it is allowed. */
    public String refusal(InetAddress address, int port) {
        byte[] raw = address.getAddress();
        for (Block exception : exceptions) {
            if (exception.contains(raw, port)) {
                return null;
            }
        }
        String special = refusal(address);
        if (special != null) {
            return special;
        }
        if (ownAddresses.get().contains(key(raw))) {
            return "an address of this host's own network interfaces";
        }
        return null;
    }

    /**
     * Why the address is not a globally routable unicast address, or null when it is one. Decided on the
     * raw bytes, so an IPv6 form that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is
     * refused as such whatever IPv4 address it carries.
     */
    public static String refusal(InetAddress address) {
        byte[] raw = address.getAddress();
        List<Block> table = address instanceof Inet4Address ? IPV4_SPECIAL : IPV6_SPECIAL;
        for (Block block : table) {
            if (block.contains(raw, 0)) {
                return block.name();
            }
        }
        if (raw.length == 16 && !IPV6_GLOBAL_UNICAST.contains(raw, 0)) {
            return "an IPv6 address outside global unicast (2000::/3)";
        }
        return null;
    }

    /**
     * Why a URL's host name is refused before any lookup, or null: an IPv4 address written in any but the
     * canonical dotted-decimal form (hex {@code 0x7f000001}, octal {@code 0177.0.0.1}, a decimal integer
     * {@code 2130706433}, short forms {@code 127.1}, an IPv4-mapped IPv6 literal), which resolvers read differently from people and
     * from checks. A name whose last label starts with a digit is no DNS name, so it must be canonical.
     */
    public static String nonCanonicalHost(String host) {
        if (host == null || host.isEmpty()) {
            return "the URL names no host";
        }
        if (host.startsWith("[")) {
            // Java reads an IPv4-mapped literal ([::ffff:7f00:1]) as the IPv4 address: written so, it is a disguise.
            String inner = host.substring(1, host.endsWith("]") ? host.length() - 1 : host.length());
            try {
                return inner.contains(":") && InetAddress.getByName(inner) instanceof Inet4Address
                        ? "'" + host + "' is an IPv4 address written as IPv6 (IPv4-mapped); write it as a.b.c.d" : null;
            } catch (UnknownHostException e) {
                return "'" + host + "' is not a valid IPv6 literal";
            }
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (last.isEmpty() || !Character.isDigit(last.charAt(0))) {
            return null;
        }
        return DOTTED_QUAD.matcher(host).matches() ? null
                : "'" + host + "' is an IP address in a non-canonical form; write it as four decimal numbers (a.b.c.d) or use a host name";
    }

    private static byte[] literal(String text) {
        try {
            InetAddress parsed = InetAddress.getByName(text);
            byte[] raw = parsed.getAddress();
            if (text.contains(":") && raw.length == 4) {
                // Java reads ::ffff:a.b.c.d as an IPv4 address; the table needs the IPv6 bytes.
                byte[] v6 = new byte[16];
                v6[10] = (byte) 0xff;
                v6[11] = (byte) 0xff;
                System.arraycopy(raw, 0, v6, 12, 4);
                return v6;
            }
            return raw;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
    }

    private static String key(byte[] raw) {
        return Arrays.toString(raw);
    }

    private static final long REFRESH_NANOS = 30_000_000_000L;
    private static volatile Set<String> cached = Set.of();
    private static volatile long cachedAt = System.nanoTime() - 2 * REFRESH_NANOS;

    /** This host's interface addresses, listed again at most every 30 s (interfaces come and go). */
    static Set<String> interfaceAddresses() {
        long now = System.nanoTime();
        if (now - cachedAt < REFRESH_NANOS) {
            return cached;
        }
        Set<String> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    found.add(key(a.getAddress()));
                }
            }
        } catch (SocketException e) {
            // Without the list, the special-purpose table still holds; the next call tries again.
            return cached;
        }
        cached = Set.copyOf(found);
        cachedAt = now;
        return cached;
    }
}
