package io.affnet.sagas.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of an outbound postback, Stripe-style: {@code Affnet-Signature: t=<unix seconds>,v1=<hex>}
 * where the hex is HMAC-SHA256 with the affiliate's secret over
 * {@code t + "." + METHOD + " " + url + "." + body} (body empty for GET). The timestamp is signed too,
 * so a receiver can refuse old requests (replays); docs/outbound-postbacks.md has the receiver's recipe.
 */
public final class PostbackSignature {

    public static final String SIGNATURE_HEADER = "Affnet-Signature";
    public static final String TIMESTAMP_HEADER = "Affnet-Timestamp";
    public static final String DELIVERY_ID_HEADER = "Affnet-Delivery-Id";
    public static final String ATTEMPT_HEADER = "Affnet-Delivery-Attempt";

    private PostbackSignature() {
    }

    public static String header(String secret, long unixSeconds, String method, String url, String body) {
        return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds + "." + method + " " + url + "." + (body == null ? "" : body));
    }

    static String hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
