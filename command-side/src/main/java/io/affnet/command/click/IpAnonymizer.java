package io.affnet.command.click;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * Keeps an IP address only in two privacy-preserving forms: a keyed hash (HMAC-SHA256 with a
 * platform secret, first 128 bits) that still lets fraud rules and unique counts compare visitors but
 * cannot be reversed by trying all 2^32 IPv4 addresses without the secret; and the network prefix
 * (/24 for IPv4, /48 for IPv6), coarse enough not to identify a household, fine enough for geography
 * and abuse ranges.
 */
public final class IpAnonymizer {

    private final ThreadLocal<Mac> mac;

    public IpAnonymizer(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("affnet.click.ip-hash-secret must be at least 16 characters");
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public String hash(String ip) {
        byte[] digest = mac.get().doFinal(ip.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    public static String prefix(String ip) {
        try {
            if (ip.indexOf(':') < 0 && ip.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
                byte[] b = InetAddress.getByName(ip).getAddress();
                return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
            }
            if (ip.indexOf(':') >= 0 && ip.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                byte[] b = InetAddress.getByName(ip).getAddress();
                if (b.length == 4) {
                    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
                }
                return String.format("%x:%x:%x::/48", ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                        ((b[2] & 0xff) << 8) | (b[3] & 0xff), ((b[4] & 0xff) << 8) | (b[5] & 0xff));
            }
        } catch (UnknownHostException ignored) {
            // a literal that only looked like an address: no prefix
        }
        return null;
    }
}
