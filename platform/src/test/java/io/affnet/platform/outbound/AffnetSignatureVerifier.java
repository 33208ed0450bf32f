package io.affnet.platform.outbound;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

// The receiver's recipe, copied verbatim into docs/outbound-postbacks.md (OutboundDocsTest keeps them equal).
public final class AffnetSignatureVerifier {

    /**
     * @param secret          the affiliate's secret (whsec_…), shown once when the postback was set up
     * @param signatureHeader the Affnet-Signature header, e.g. "t=1735689600,v1=5f2c…"
     * @param method          the request method, "GET" or "POST"
     * @param url             the full URL requested: scheme://host[:port]/path?query, exactly as received
     * @param body            the raw request body ("" for GET)
     * @param toleranceSecs   how old a request may be (e.g. 300); refuses replays of old requests
     */
    public static boolean verify(String secret, String signatureHeader, String method, String url, String body,
                                 long toleranceSecs) throws Exception {
        String t = null;
        String v1 = null;
        for (String part : signatureHeader.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                v1 = kv[1];
            }
        }
        if (t == null || v1 == null) {
            return false;
        }
        long age = System.currentTimeMillis() / 1000 - Long.parseLong(t);
        if (Math.abs(age) > toleranceSecs) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + method + " " + url + "." + body).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(HexFormat.of().formatHex(expected).getBytes(StandardCharsets.UTF_8),
                v1.getBytes(StandardCharsets.UTF_8));
    }
}
