package io.affnet.sagas.payout.processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency material of a payout at each processor: a pure function of (tenant, payout id),
 * so a restarted saga, a redelivered event or a second node sends exactly the same keys.
 */
public final class PayoutKeys {

    private PayoutKeys() {
    }

    /** Stripe's {@code Idempotency-Key} (at most 255 characters). */
    public static String stripeIdempotencyKey(String tenantId, String payoutId) {
        return "affnet-payout-" + digest(tenantId, payoutId);
    }

    /** Stripe's {@code transfer_group}: what reconciliation lists transfers by. */
    public static String stripeTransferGroup(String tenantId, String payoutId) {
        return "affnet_" + digest(tenantId, payoutId);
    }

    /** PayPal's {@code sender_batch_id} (one payout per batch; PayPal refuses a reuse for 30 days). */
    public static String paypalSenderBatchId(String tenantId, String payoutId) {
        return "affnet_" + digest(tenantId, payoutId).substring(0, 40);
    }

    /** PayPal's {@code sender_item_id}. */
    public static String paypalSenderItemId(String tenantId, String payoutId) {
        return "affnet_item_" + digest(tenantId, payoutId).substring(0, 40);
    }

    private static String digest(String tenantId, String payoutId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tenantId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(payoutId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
