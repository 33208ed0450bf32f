package io.affnet.domain.link;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Public codes of tracking links: 16 base62 characters from a {@link SecureRandom}, about 95 bits, so
 * nobody finds a link by guessing. Codes are unique across all tenants (a click URL names no tenant).
 */
public final class LinkCodes {

    public static final int LENGTH = 16;
    public static final Pattern FORMAT = Pattern.compile("[0-9A-Za-z]{12,32}");
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private LinkCodes() {
    }

    public static String mint(SecureRandom random) {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
