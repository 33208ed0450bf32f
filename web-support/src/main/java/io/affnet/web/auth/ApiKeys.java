package io.affnet.web.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Mints and hashes API keys. A key is {@code afn_live_} plus 32 random bytes (base64url), so a
 * leaked key is recognisable by secret scanners. Only HMAC-SHA256(pepper, key) is stored: keyed, so a
 * stolen database alone cannot be used to test guesses, and deterministic, so a key is found by its
 * hash with one indexed lookup.
 */
public final class ApiKeys {

    public static final String PREFIX = "afn_live_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] pepper;

    public ApiKeys(String pepper) {
        if (pepper == null || pepper.length() < 16) {
            throw new IllegalArgumentException("affnet.security.key-pepper must be at least 16 characters");
        }
        this.pepper = pepper.getBytes(StandardCharsets.UTF_8);
    }

    public record Minted(String key, String keyId, String hash, String displayPrefix) {
        @Override
        public String toString() {
            return "Minted[keyId=" + keyId + ", displayPrefix=" + displayPrefix + "]";
        }
    }

    public Minted mint() {
        return mint(PREFIX);
    }

    /** Mints a secret with another recognisable prefix (e.g. {@code afn_pb_} for postback tokens). */
    public Minted mint(String prefix) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        String keyId = "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        return new Minted(key, keyId, hash(key), key.substring(0, prefix.length() + 4));
    }

    public String hash(String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
