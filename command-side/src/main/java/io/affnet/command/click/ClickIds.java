package io.affnet.command.click;

import java.security.SecureRandom;
import java.util.Base64;

/** Mints click ids: 128 bits from a CSPRNG, base64url without padding (22 characters, URL-safe). */
public final class ClickIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ClickIds() {
    }

    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    /** Whether {@code value} has the shape of a click id (used to reject junk before any lookup). */
    public static boolean looksValid(String value) {
        if (value == null || value.length() != 22) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
