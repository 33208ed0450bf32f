package io.affnet.command.click;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The Redis key that remembers a visitor on an offer for the unique-click window:
 * {@code affnet:t:{tenant}:uniq:o:{offerId}:{visitor}}, or {@code affnet:t:{tenant}:uniq:l:{linkId}:{visitor}}
 * for a click that had no offer. The visitor is the click's keyed IP hash together with its user agent,
 * hashed into 120 bits (20 characters): short keys, because there is one per visitor and offer for a
 * whole window, and neither the IP hash nor the user agent appears in Redis.
 */
public final class UniqueClickKeys {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private UniqueClickKeys() {
    }

    public static String key(String tenantId, String offerId, String linkId, String ipHash, String userAgent) {
        String scope = offerId != null ? "o:" + offerId : "l:" + linkId;
        return "affnet:t:" + tenantId + ":uniq:" + scope + ":" + visitor(ipHash, userAgent);
    }

    /** 120 bits of SHA-256 over the IP hash and the user agent; an absent one hashes unlike any present one. */
    static String visitor(String ipHash, String userAgent) {
        MessageDigest digest = SHA256.get();
        update(digest, ipHash);
        update(digest, userAgent);
        byte[] hash = digest.digest();
        byte[] head = new byte[15];
        System.arraycopy(hash, 0, head, 0, head.length);
        return BASE64.encodeToString(head);
    }

    private static void update(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        // Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike.
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update((byte) (bytes.length >>> 24));
        digest.update((byte) (bytes.length >>> 16));
        digest.update((byte) (bytes.length >>> 8));
        digest.update((byte) bytes.length);
        digest.update(bytes);
    }
}
