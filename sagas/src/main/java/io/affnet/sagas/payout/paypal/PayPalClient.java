package io.affnet.sagas.payout.paypal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.sagas.payout.processor.ProcessorAccount;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The four PayPal calls affnet makes, over {@code java.net.http}: OAuth client credentials, create a batch,
 * read a batch or an item, and verify a webhook signature.
 *
 * <p>Why not {@code com.paypal.sdk:payouts-sdk:1.1.1}: its access tokens live in a static, JVM-wide cache
 * ({@code AuthorizationProvider.sharedInstance()}) keyed by the client id and secret only, not by the API
 * base, so a token issued by one base is sent to another with the same credentials, and a revoked token
 * is never dropped on a 401; it also runs on {@code HttpURLConnection}, which may silently resend a POST
 * after a dropped connection ({@code sun.net.http.retryPost}). Here tokens are cached per (API base,
 * client id, secret), refreshed a minute before {@code expires_in} runs out and once on a 401, and every
 * POST is sent exactly once per call.
 */
public final class PayPalClient {

    /** An HTTP answer: status and parsed JSON body (an empty object when the body is not JSON). */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private record TokenKey(String apiBase, String clientId, String secret) {
    }

    private record Token(String value, Instant refreshAt) {
    }

    private static final Duration EARLY_REFRESH = Duration.ofSeconds(60);
    private static final int MAX_BODY = 1 << 20;

    private final HttpClient http;
    private final Duration readTimeout;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<TokenKey, Token> tokens = new ConcurrentHashMap<>();

    public PayPalClient(Duration connectTimeout, Duration readTimeout, ObjectMapper json, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
        this.json = json;
        this.clock = clock;
    }

    public Answer createBatch(ProcessorAccount account, ObjectNode request, String requestId) throws IOException, InterruptedException {
        return authorized(account, "POST", "/v1/payments/payouts", json.writeValueAsString(request), requestId);
    }

    public Answer batch(ProcessorAccount account, String batchId) throws IOException, InterruptedException {
        return authorized(account, "GET", "/v1/payments/payouts/" + segment(batchId), null, null);
    }

    public Answer item(ProcessorAccount account, String itemId) throws IOException, InterruptedException {
        return authorized(account, "GET", "/v1/payments/payouts-item/" + segment(itemId), null, null);
    }

    /** PayPal's {@code POST /v1/notifications/verify-webhook-signature}; the certificate is never fetched here. */
    public Answer verifyWebhookSignature(ProcessorAccount account, ObjectNode request) throws IOException, InterruptedException {
        return authorized(account, "POST", "/v1/notifications/verify-webhook-signature", json.writeValueAsString(request), null);
    }

    private Answer authorized(ProcessorAccount account, String method, String path, String body, String requestId)
            throws IOException, InterruptedException {
        TokenKey key = new TokenKey(account.apiBase(), account.key(), account.secret());
        Answer a = send(account, method, path, body, requestId, token(account, key, false));
        if (a.status() == 401) {
            a = send(account, method, path, body, requestId, token(account, key, true));
        }
        return a;
    }

    private Answer send(ProcessorAccount account, String method, String path, String body, String requestId, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(account) + path)).timeout(readTimeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (requestId != null) {
            b.header("PayPal-Request-Id", requestId);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), parse(r.body()));
    }

    private String token(ProcessorAccount account, TokenKey key, boolean forceNew) throws IOException, InterruptedException {
        Token t = tokens.get(key);
        if (!forceNew && t != null && clock.instant().isBefore(t.refreshAt())) {
            return t.value();
        }
        String basic = Base64.getEncoder().encodeToString((account.key() + ":" + account.secret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(account) + "/v1/oauth2/token")).timeout(readTimeout)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body = parse(r.body());
        if (r.statusCode() != 200 || !body.path("access_token").isTextual()) {
            throw new PayPalAuthenticationFailed("PayPal OAuth answered " + r.statusCode() + " " + body.path("error").asText(""));
        }
        long expiresIn = body.path("expires_in").asLong(0);
        Instant refreshAt = clock.instant().plusSeconds(expiresIn).minus(EARLY_REFRESH);
        Token fresh = new Token(body.path("access_token").asText(), refreshAt);
        tokens.put(key, fresh);
        return fresh.value();
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String base(ProcessorAccount account) {
        String b = account.apiBase();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** The client id and secret were refused: nothing was sent. */
    public static final class PayPalAuthenticationFailed extends IOException {
        public PayPalAuthenticationFailed(String message) {
            super(message);
        }
    }
}
