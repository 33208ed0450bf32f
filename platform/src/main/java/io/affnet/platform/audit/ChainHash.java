package io.affnet.platform.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The per-tenant hash chain: {@code hash(n) = SHA-256(hash(n-1) || canonical(event n))}, starting from
 * {@code SHA-256("affnet-chain-v1\n" + tenant)} so a chain cannot be passed off as another tenant's.
 * <p>
 * The canonical bytes are the event's stored fields, each length-prefixed (so no two field lists encode
 * alike), with the payload and metadata entering as their SHA-256 digests: an export that hides a personal
 * field can still ship the payload's digest and stay verifiable. Pure functions; the offline verifier
 * uses exactly this class. An aggregate id equal to the event id counts as none (Axon's stand-in for an event
 * that belongs to no aggregate, which it reads back as none).
 */
public final class ChainHash {

    public static final int LENGTH = 32;
    private static final byte[] VERSION = "affnet-event-v1".getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] EMPTY = new byte[0];
    /**
     * One digest per thread, reset before each use ({@code digest()} resets it too), instead of three
     * {@code MessageDigest.getInstance} look-ups and a copy of the canonical bytes per appended event.
     * Nothing here calls out while a digest is in use.
     */
    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(ChainHash::sha);

    private ChainHash() {
    }

    public static byte[] genesis(String tenantId) {
        return sha256(("affnet-chain-v1\n" + tenantId).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] next(byte[] previous, StoredEvent e) {
        return link(SHA.get(), previous, e, payloadDigest(e), metadataDigest(e));
    }

    /** The digest of an event's payload, as its link hashes it. */
    public static byte[] payloadDigest(StoredEvent e) {
        return sha256(e.payload());
    }

    /** The digest of an event's metadata (of no bytes when it has none), as its link hashes it. */
    public static byte[] metadataDigest(StoredEvent e) {
        return sha256(e.metadata() == null ? EMPTY : e.metadata());
    }

    /** The link of an event whose payload and metadata are known only by their digests. */
    public static byte[] next(byte[] previous, StoredEvent e, byte[] payloadDigest, byte[] metadataDigest) {
        return link(SHA.get(), previous, e, payloadDigest, metadataDigest);
    }

    /**
     * {@code SHA-256(previous || canonical(e))}, with the canonical fields fed to the digest as they are laid
     * out (no intermediate buffer): the same bytes as {@link #canonical}, so the same hash.
     */
    private static byte[] link(MessageDigest sha, byte[] previous, StoredEvent e, byte[] payloadDigest, byte[] metadataDigest) {
        byte[] length = new byte[4];
        sha.reset();
        sha.update(previous);
        field(sha, length, VERSION);
        field(sha, length, e.eventId());
        field(sha, length, e.aggregateType());
        // Axon stores an event of no aggregate with its own id as aggregate id, and reads it back as none.
        field(sha, length, e.eventId().equals(e.aggregateId()) ? null : e.aggregateId());
        field(sha, length, Long.toString(e.sequence()));
        field(sha, length, e.timestamp());
        field(sha, length, e.payloadType());
        field(sha, length, e.payloadRevision());
        field(sha, length, payloadDigest);
        field(sha, length, metadataDigest);
        return sha.digest();
    }

    private static void field(MessageDigest sha, byte[] length, String value) {
        field(sha, length, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest sha, byte[] length, byte[] value) {
        int n = value == null ? -1 : value.length;
        length[0] = (byte) (n >>> 24);
        length[1] = (byte) (n >>> 16);
        length[2] = (byte) (n >>> 8);
        length[3] = (byte) n;
        sha.update(length, 0, 4);
        if (value != null) {
            sha.update(value, 0, value.length);
        }
    }

    /** The canonical bytes of an event, as one array (what {@link #next} feeds to the digest field by field). */
    static byte[] canonical(StoredEvent e, byte[] payloadDigest, byte[] metadataDigest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, VERSION);
        field(out, e.eventId());
        field(out, e.aggregateType());
        field(out, e.eventId().equals(e.aggregateId()) ? null : e.aggregateId());
        field(out, Long.toString(e.sequence()));
        field(out, e.timestamp());
        field(out, e.payloadType());
        field(out, e.payloadRevision());
        field(out, payloadDigest);
        field(out, metadataDigest);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        field(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        int n = value == null ? -1 : value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        if (value != null) {
            out.write(value, 0, value.length);
        }
    }

    public static byte[] sha256(byte[] bytes) {
        MessageDigest sha = SHA.get();
        sha.reset();
        return sha.digest(bytes);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] unhex(String hex) {
        return HEX.parseHex(hex);
    }
}
