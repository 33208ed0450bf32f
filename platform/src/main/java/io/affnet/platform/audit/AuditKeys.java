package io.affnet.platform.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's Ed25519 checkpoint keys, by key id. Each is given as {@code keyId:base64(32-byte seed)};
 * one of them signs (the active id), all of them verify, so a rotated-out key keeps old checkpoints
 * verifiable. Public keys are exported as base64 X.509 (SubjectPublicKeyInfo) DER.
 */
public final class AuditKeys {

    private final Map<String, KeyPair> pairs;
    private final Map<String, PublicKey> publicKeys;
    private final String activeId;

    private AuditKeys(Map<String, KeyPair> pairs, Map<String, PublicKey> publicKeys, String activeId) {
        this.pairs = pairs;
        this.publicKeys = publicKeys;
        this.activeId = activeId;
    }

    /**
     * @param spec     comma-separated {@code keyId:base64seed}
     * @param activeId the key that signs; blank = the last one listed
     */
    public static AuditKeys fromSeeds(String spec, String activeId) {
        Map<String, KeyPair> pairs = new LinkedHashMap<>();
        Map<String, PublicKey> publics = new LinkedHashMap<>();
        String last = null;
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("an audit signing key is keyId:base64seed, got an entry without a key id");
            }
            String id = e.substring(0, colon);
            byte[] seed;
            try {
                seed = Base64.getDecoder().decode(e.substring(colon + 1));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("audit signing key " + id + " is not base64");
            }
            if (seed.length != 32) {
                throw new IllegalArgumentException("audit signing key " + id + " must be 32 bytes (base64), got " + seed.length);
            }
            KeyPair pair = fromSeed(seed);
            pairs.put(id, pair);
            publics.put(id, pair.getPublic());
            last = id;
        }
        if (last == null) {
            throw new IllegalArgumentException("no audit signing key configured");
        }
        String active = activeId == null || activeId.isBlank() ? last : activeId;
        if (!pairs.containsKey(active)) {
            throw new IllegalArgumentException("the active audit key id " + active + " is not among the configured keys");
        }
        return new AuditKeys(pairs, publics, active);
    }

    /** Verification only: public keys given as {@code keyId=base64 X.509}. */
    public static AuditKeys verifying(Map<String, String> encodedPublicKeys) {
        Map<String, PublicKey> publics = new LinkedHashMap<>();
        encodedPublicKeys.forEach((id, encoded) -> publics.put(id, decodePublic(encoded)));
        return new AuditKeys(Map.of(), publics, null);
    }

    public String activeId() {
        return activeId;
    }

    public Map<String, PublicKey> publicKeys() {
        return Collections.unmodifiableMap(publicKeys);
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public String sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pairs.get(activeId).getPrivate());
            s.update(message);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** False for an unknown key id, a malformed signature or one that does not match. */
    public boolean verify(String keyId, byte[] message, String signature) {
        PublicKey key = publicKeys.get(keyId);
        if (key == null || signature == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The bytes a checkpoint's signature covers. */
    public static byte[] signedBytes(String tenantId, long chainSeq, String headHashHex, long globalIndex, Instant signedAt) {
        return ("affnet-checkpoint-v1\n" + tenantId + "\n" + chainSeq + "\n" + headHashHex + "\n" + globalIndex + "\n" + signedAt)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static KeyPair fromSeed(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            // The JDK's Ed25519 generator draws exactly the 32-byte private key from its random source.
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
                }
            });
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of JDK 17", e);
        }
    }

    private static PublicKey decodePublic(String encoded) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X.509 Ed25519 public key", e);
        }
    }
}
