package io.affnet.fakes.paypal;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.fakes.FakeHttp;
import io.affnet.fakes.FakeHttp.Request;
import io.affnet.fakes.FakeHttp.Response;
import io.affnet.fakes.FaultDice;
import io.affnet.fakes.Faults;
import io.affnet.fakes.Json;
import io.affnet.fakes.WebhookDispatcher;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A stateful local PayPal for Payouts, faithful to the documented API (developer.paypal.com/docs/api/
 * payments.payouts-batch/v1, /api/rest/authentication, /api/webhooks/v1): {@code POST /v1/oauth2/token}
 * (client credentials, tokens that expire after {@code expires_in}), {@code POST /v1/payments/payouts}
 * (a {@code sender_batch_id} used before is refused with the duplicate-batch 400 and a link to the
 * original batch), {@code GET /v1/payments/payouts/{id}}, {@code GET /v1/payments/payouts-item/{id}},
 * and {@code POST /v1/notifications/verify-webhook-signature}.
 *
 * <p>A batch is PENDING when created; its item settles after {@code settleAfter} (SUCCESS; UNCLAIMED for
 * receivers marked unclaimed; FAILED for blocked ones), when it is next read or {@link #settleAll()} runs.
 * HUF, JPY and TWD refuse decimals. Webhooks are signed with SHA256withRSA over
 * {@code transmission_id|transmission_time|webhook_id|crc32(body)}; the fake serves the certificate at its
 * {@code PAYPAL-CERT-URL} and counts every fetch of it (a receiver must never fetch it).
 */
public final class FakePayPal implements AutoCloseable {

    /** Currencies PayPal takes without decimals. */
    /** How long PayPal answers a reused {@code sender_batch_id} with the duplicate-batch 400. */
    public static final Duration DUPLICATE_WINDOW = Duration.ofDays(30);
    public static final Set<String> NO_DECIMALS = Set.of("HUF", "JPY", "TWD");

    /** A payout item as the fake holds it. */
    public record Item(String itemId, String batchId, String senderBatchId, String senderItemId, String receiver,
                       String recipientType, String currency, String value, String status, Instant created) {
        Item withStatus(String s) {
            return new Item(itemId, batchId, senderBatchId, senderItemId, receiver, recipientType, currency, value, s, created);
        }
    }

    /** One RSA key per JVM: generating 2048-bit keys costs seconds, and each fake only needs to sign. */
    private static final class SigningKey {
        static final KeyPair PAIR;

        static {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                PAIR = g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Token(String value, Instant expires) {
    }

    private record Transmission(String webhookId, String time, String sig, JsonNode event) {
    }

    private final String clientId;
    private final String clientSecret;
    private final FakeHttp http = new FakeHttp();
    private final FaultDice dice;
    private final WebhookDispatcher webhooks;
    private final AtomicLong ids = new AtomicLong(100_000);
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, String> batchBySender = new HashMap<>();
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Map<String, String> itemByBatch = new HashMap<>();
    private final Map<String, BigDecimal> balances = new HashMap<>();
    private final Set<String> unclaimedReceivers = new HashSet<>();
    private final Set<String> blockedReceivers = new HashSet<>();
    private final Map<String, Transmission> transmissions = new HashMap<>();
    private final AtomicInteger certFetches = new AtomicInteger();
    private final KeyPair signingKey;
    private volatile Duration tokenTtl = Duration.ofHours(9);
    private volatile Duration settleAfter = Duration.ZERO;
    private volatile String webhookUrl;
    private volatile String webhookId;
    private volatile Clock clock = Clock.systemUTC();
    private final Map<String, Integer> createAttempts = new HashMap<>();

    public FakePayPal(String clientId, String clientSecret, Faults faults) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.dice = new FaultDice(faults);
        this.webhooks = new WebhookDispatcher(dice);
        signingKey = SigningKey.PAIR;
        http.route("POST", "/v1/oauth2/token", this::token)
                .route("POST", "/v1/payments/payouts", this::createBatch)
                .route("GET", "/v1/payments/payouts/([A-Za-z0-9]+)", this::getBatch)
                .route("GET", "/v1/payments/payouts-item/([A-Za-z0-9]+)", this::getItem)
                .route("POST", "/v1/notifications/verify-webhook-signature", this::verify)
                .route("GET", "/v1/notifications/certs/([A-Za-z0-9-]+)", this::cert)
                .start();
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    public Faults faults() {
        return dice.faults();
    }

    /** The faults drawn so far, by kind. */
    public java.util.Map<Faults.Draw, Integer> faultsDrawn() {
        return dice.drawn();
    }

    public FakePayPal force(Faults.Draw draw) {
        dice.force(draw);
        return this;
    }

    public FakePayPal tokenTtl(Duration ttl) {
        this.tokenTtl = ttl;
        return this;
    }

    public FakePayPal settleAfter(Duration delay) {
        this.settleAfter = delay;
        return this;
    }

    /** The fake's clock (a test moves it to expire tokens or pass the 30-day window). */
    public FakePayPal clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public synchronized FakePayPal balance(String currency, BigDecimal amount) {
        balances.put(currency, amount);
        return this;
    }

    public synchronized BigDecimal balanceOf(String currency) {
        return balances.getOrDefault(currency, BigDecimal.ZERO);
    }

    public synchronized FakePayPal unclaimed(String receiver) {
        unclaimedReceivers.add(receiver);
        return this;
    }

    public synchronized FakePayPal blocked(String receiver) {
        blockedReceivers.add(receiver);
        return this;
    }

    /** Where events go, and the webhook id PayPal gave that subscription. */
    public FakePayPal webhookEndpoint(String url, String webhookId) {
        this.webhookUrl = url;
        this.webhookId = webhookId;
        return this;
    }

    public WebhookDispatcher webhooks() {
        return webhooks;
    }

    public int certFetches() {
        return certFetches.get();
    }

    public synchronized List<Item> items() {
        return List.copyOf(items.values());
    }

    public synchronized int createAttempts(String senderBatchId) {
        return createAttempts.getOrDefault(senderBatchId, 0);
    }

    /** Settles every pending item now. */
    public void settleAll() {
        List<Item> pending;
        synchronized (this) {
            pending = items.values().stream().filter(i -> i.status().equals("PENDING")).toList();
        }
        pending.forEach(i -> settle(i.itemId()));
    }

    /** Moves a paid item to RETURNED (e.g. an UNCLAIMED item that expired) and sends the webhook. */
    public void returnItem(String itemId) {
        transition(itemId, "RETURNED", "PAYMENT.PAYOUTS-ITEM.RETURNED");
    }

    @Override
    public void close() {
        webhooks.close();
        http.close();
    }

    private Response token(Request r) {
        String auth = r.header("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            return Json.response(401, Map.of("error", "invalid_client", "error_description", "Client Authentication failed"));
        }
        if (!"client_credentials".equals(FakeHttp.parseForm(r.bodyText()).get("grant_type"))) {
            return Json.response(400, Map.of("error", "unsupported_grant_type", "error_description", "Grant Type is NULL"));
        }
        String value = "A21AA" + UUID.randomUUID().toString().replace("-", "");
        Duration ttl = tokenTtl;
        synchronized (this) {
            tokens.put(value, new Token(value, clock.instant().plus(ttl)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scope", "https://uri.paypal.com/services/payments/payouts https://uri.paypal.com/services/applications/webhooks");
        body.put("access_token", value);
        body.put("token_type", "Bearer");
        body.put("app_id", "APP-80W284485P519543T");
        body.put("expires_in", ttl.toSeconds());
        body.put("nonce", clock.instant() + UUID.randomUUID().toString().substring(0, 8));
        return Json.response(200, body);
    }

    private Response authenticate(Request r) {
        String auth = r.header("Authorization");
        Token t = null;
        if (auth != null && auth.startsWith("Bearer ")) {
            synchronized (this) {
                t = tokens.get(auth.substring(7));
            }
        }
        if (t == null || !clock.instant().isBefore(t.expires())) {
            return Json.response(401, Map.of("error", "invalid_token", "error_description",
                    t == null ? "Token signature verification failed" : "Access Token not found in cache"));
        }
        return null;
    }

    private Response createBatch(Request r) throws InterruptedException {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        JsonNode body = Json.tree(r.body());
        if (body == null || !body.isObject()) {
            return error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.",
                    List.of(detail("/", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")), List.of());
        }
        String senderBatchId = body.path("sender_batch_header").path("sender_batch_id").asText(null);
        if (senderBatchId != null) {
            synchronized (this) {
                createAttempts.merge(senderBatchId, 1, Integer::sum);
            }
        }
        Faults.Draw draw = dice.draw(Faults.Draw.RATE_LIMITED, Faults.Draw.UNAVAILABLE);
        if (draw == Faults.Draw.RATE_LIMITED || draw == Faults.Draw.RATE_LIMITED_SHOULD_RETRY) {
            return error(429, "RATE_LIMIT_REACHED", "Too many requests. Blocked due to rate limiting.", List.of(), List.of());
        }
        if (draw == Faults.Draw.UNAVAILABLE) {
            return error(503, "SERVICE_UNAVAILABLE", "Service Unavailable.", List.of(), List.of());
        }
        Response invalid = validate(body);
        if (invalid != null) {
            return invalid;
        }
        JsonNode item = body.path("items").get(0);
        String currency = item.path("amount").path("currency").asText();
        BigDecimal value = new BigDecimal(item.path("amount").path("value").asText());
        Item created;
        synchronized (this) {
            String existing = batchBySender.get(senderBatchId);
            // PayPal refuses a reused sender_batch_id for 30 days; after that it is a new batch.
            if (existing != null && clock.instant().isBefore(items.get(itemByBatch.get(existing)).created().plus(DUPLICATE_WINDOW))) {
                String href = baseUrl() + "/v1/payments/payouts/" + existing;
                Map<String, Object> d = detail("SENDER_BATCH_ID", "Batch with given sender_batch_id already exists", null);
                d.put("link", List.of(link(href, "self")));
                return error(400, "USER_BUSINESS_ERROR", "User business error.", List.of(d), List.of(link(href, "self")));
            }
            if (balances.getOrDefault(currency, BigDecimal.ZERO).compareTo(value) < 0) {
                return error(422, "INSUFFICIENT_FUNDS", "Sender does not have sufficient funds. Please add funds and retry.",
                        List.of(), List.of());
            }
            balances.merge(currency, value.negate(), BigDecimal::add);
            String batchId = shortId("B");
            created = new Item(shortId("I"), batchId, senderBatchId, item.path("sender_item_id").asText(null),
                    item.path("receiver").asText(), item.path("recipient_type").asText(
                            body.path("sender_batch_header").path("recipient_type").asText("EMAIL")),
                    currency, item.path("amount").path("value").asText(), "PENDING", clock.instant());
            batchBySender.put(senderBatchId, batchId);
            items.put(created.itemId(), created);
            itemByBatch.put(batchId, created.itemId());
        }
        Response result = Json.response(201, createdJson(created, body.path("sender_batch_header")));
        if (draw == Faults.Draw.COMMIT_THEN_DROP) {
            throw new FakeHttp.Drop();
        }
        if (draw == Faults.Draw.COMMIT_THEN_500) {
            return error(500, "INTERNAL_SERVER_ERROR", "An internal server error has occurred.", List.of(), List.of());
        }
        if (draw == Faults.Draw.COMMIT_THEN_SLOW) {
            Thread.sleep(dice.faults().slowAnswer().toMillis());
        }
        return result.withHeader("Paypal-Debug-Id", debugId());
    }

    private Response validate(JsonNode body) {
        List<Map<String, Object>> details = new ArrayList<>();
        JsonNode header = body.path("sender_batch_header");
        String sbi = header.path("sender_batch_id").asText("");
        if (sbi.isEmpty() || sbi.length() > 256) {
            details.add(detail("/sender_batch_header/sender_batch_id", "REQUIRED_FIELD_MISSING", "sender_batch_id is required (at most 256 characters)."));
        }
        JsonNode items = body.path("items");
        if (!items.isArray() || items.isEmpty()) {
            details.add(detail("/items", "REQUIRED_FIELD_MISSING", "At least one payout item is required."));
        } else {
            for (int i = 0; i < items.size(); i++) {
                JsonNode it = items.get(i);
                String at = "/items/" + i;
                String receiver = it.path("receiver").asText("");
                if (receiver.isEmpty() || receiver.length() > 127) {
                    details.add(detail(at + "/receiver", "REQUIRED_FIELD_MISSING", "receiver is required (at most 127 characters)."));
                }
                if (it.path("sender_item_id").asText("").length() > 63) {
                    details.add(detail(at + "/sender_item_id", "INVALID_PARAMETER_SYNTAX", "sender_item_id is at most 63 characters."));
                }
                String currency = it.path("amount").path("currency").asText("");
                String value = it.path("amount").path("value").asText("");
                if (!currency.matches("[A-Z]{3}")) {
                    details.add(detail(at + "/amount/currency", "CURRENCY_NOT_SUPPORTED", "Currency is not supported."));
                } else if (!value.matches("[0-9]+(\\.[0-9]+)?")) {
                    details.add(detail(at + "/amount/value", "INVALID_PARAMETER_SYNTAX", "The value of a field does not conform to the expected format."));
                } else if (NO_DECIMALS.contains(currency) && value.contains(".")) {
                    details.add(detail(at + "/amount/value", "DECIMALS_NOT_SUPPORTED", "Currency does not support decimals."));
                } else if (value.contains(".") && value.length() - value.indexOf('.') - 1 > 2) {
                    details.add(detail(at + "/amount/value", "DECIMAL_PRECISION", "If the currency supports decimals, only two decimal place precision is supported."));
                } else if (new BigDecimal(value).signum() <= 0) {
                    details.add(detail(at + "/amount/value", "INVALID_PARAMETER_VALUE", "The amount must be positive."));
                }
            }
        }
        if (details.isEmpty()) {
            return null;
        }
        return error(400, "VALIDATION_ERROR", "Invalid request - see details.", details, List.of());
    }

    private Response getBatch(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        String batchId = r.match().group(1);
        String itemId;
        synchronized (this) {
            itemId = itemByBatch.get(batchId);
        }
        if (itemId == null) {
            return error(404, "INVALID_RESOURCE_ID", "Requested resource ID was not found.", List.of(), List.of());
        }
        maybeSettle(itemId);
        Item it;
        synchronized (this) {
            it = items.get(itemId);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("payout_batch_id", it.batchId());
        header.put("batch_status", batchStatus(it.status()));
        header.put("time_created", it.created().toString());
        header.put("sender_batch_header", Map.of("sender_batch_id", it.senderBatchId()));
        header.put("amount", Map.of("currency", it.currency(), "value", it.value()));
        header.put("fees", Map.of("currency", it.currency(), "value", NO_DECIMALS.contains(it.currency()) ? "0" : "0.00"));
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("batch_header", header);
        Map<String, Object> item = itemJson(it);
        item.remove("sender_batch_id");
        batch.put("items", List.of(item));
        batch.put("links", List.of(link(baseUrl() + "/v1/payments/payouts/" + it.batchId() + "?page_size=1000&page=1", "self")));
        return Json.response(200, batch);
    }

    private Response getItem(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        String itemId = r.match().group(1);
        synchronized (this) {
            if (!items.containsKey(itemId)) {
                return error(404, "INVALID_RESOURCE_ID", "Requested resource ID was not found.", List.of(), List.of());
            }
        }
        maybeSettle(itemId);
        Item it;
        synchronized (this) {
            it = items.get(itemId);
        }
        return Json.response(200, itemJson(it));
    }

    private Response verify(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        JsonNode body = Json.tree(r.body());
        if (body == null || !body.isObject()) {
            return error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.",
                    List.of(detail("/", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")), List.of());
        }
        List<Map<String, Object>> missing = new ArrayList<>();
        for (String f : List.of("auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time", "webhook_id", "webhook_event")) {
            if (body.path(f).isMissingNode() || body.path(f).isNull()) {
                missing.add(detail("/" + f, "MISSING_REQUIRED_PARAMETER", "A required field / parameter is missing."));
            }
        }
        if (!missing.isEmpty()) {
            return error(400, "VALIDATION_ERROR", "Invalid request - see details.", missing, List.of());
        }
        Transmission t;
        synchronized (this) {
            t = transmissions.get(body.path("transmission_id").asText());
        }
        boolean ok = t != null
                && "SHA256withRSA".equals(body.path("auth_algo").asText())
                && t.webhookId().equals(body.path("webhook_id").asText())
                && t.time().equals(body.path("transmission_time").asText())
                && MessageDigest.isEqual(t.sig().getBytes(StandardCharsets.UTF_8), body.path("transmission_sig").asText().getBytes(StandardCharsets.UTF_8))
                && t.event().equals(body.path("webhook_event"));
        return Json.response(200, Map.of("verification_status", ok ? "SUCCESS" : "FAILURE"));
    }

    private Response cert(Request r) {
        certFetches.incrementAndGet();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(signingKey.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        return new Response(200, Map.of("Content-Type", "application/x-pem-file"), pem.getBytes(StandardCharsets.UTF_8));
    }

    private void maybeSettle(String itemId) {
        Item it;
        synchronized (this) {
            it = items.get(itemId);
        }
        if (it.status().equals("PENDING") && !clock.instant().isBefore(it.created().plus(settleAfter))) {
            settle(itemId);
        }
    }

    private void settle(String itemId) {
        Item it;
        synchronized (this) {
            it = items.get(itemId);
        }
        if (blockedReceivers.contains(it.receiver())) {
            transition(itemId, "FAILED", "PAYMENT.PAYOUTS-ITEM.FAILED");
        } else if (unclaimedReceivers.contains(it.receiver())) {
            transition(itemId, "UNCLAIMED", "PAYMENT.PAYOUTS-ITEM.UNCLAIMED");
        } else {
            transition(itemId, "SUCCESS", "PAYMENT.PAYOUTS-ITEM.SUCCEEDED");
        }
    }

    private void transition(String itemId, String status, String eventType) {
        Item it;
        synchronized (this) {
            Item before = items.get(itemId);
            if (before == null) {
                throw new IllegalArgumentException("no item " + itemId);
            }
            if (before.status().equals(status)) {
                return;
            }
            it = before.withStatus(status);
            items.put(itemId, it);
            if (status.equals("FAILED") || status.equals("RETURNED")) {
                balances.merge(it.currency(), new BigDecimal(it.value()), BigDecimal::add);
            }
        }
        emit(eventType, "payouts_item", itemJson(it));
        if (!status.equals("RETURNED")) {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("payout_batch_id", it.batchId());
            header.put("batch_status", batchStatus(status));
            header.put("sender_batch_header", Map.of("sender_batch_id", it.senderBatchId()));
            emit("PAYMENT.PAYOUTSBATCH." + batchStatus(status), "payouts", Map.of("batch_header", header,
                    "links", List.of(link(baseUrl() + "/v1/payments/payouts/" + it.batchId(), "self"))));
        }
    }

    private static String batchStatus(String itemStatus) {
        return itemStatus.equals("PENDING") ? "PENDING" : itemStatus.equals("FAILED") ? "DENIED" : "SUCCESS";
    }

    private void emit(String type, String resourceType, Map<String, Object> resource) {
        String url = webhookUrl;
        String hookId = webhookId;
        if (url == null) {
            return;
        }
        String eventId = "WH-" + shortId("E") + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("create_time", clock.instant().toString());
        event.put("resource_type", resourceType);
        event.put("event_version", "1.0");
        event.put("event_type", type);
        event.put("summary", "Payout " + type);
        event.put("resource_version", "1.0");
        event.put("resource", resource);
        event.put("links", List.of(link(baseUrl() + "/v1/notifications/webhooks-events/" + eventId, "self")));
        byte[] body = Json.bytes(event);
        String transmissionId = UUID.randomUUID().toString();
        String time = clock.instant().toString();
        CRC32 crc = new CRC32();
        crc.update(body);
        String sig;
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(signingKey.getPrivate());
            s.update((transmissionId + "|" + time + "|" + hookId + "|" + crc.getValue()).getBytes(StandardCharsets.UTF_8));
            sig = Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        synchronized (this) {
            transmissions.put(transmissionId, new Transmission(hookId, time, sig, Json.tree(body)));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("PAYPAL-TRANSMISSION-ID", transmissionId);
        headers.put("PAYPAL-TRANSMISSION-TIME", time);
        headers.put("PAYPAL-TRANSMISSION-SIG", sig);
        headers.put("PAYPAL-CERT-URL", baseUrl() + "/v1/notifications/certs/CERT-360caa42-fca2a594-fake");
        headers.put("PAYPAL-AUTH-ALGO", "SHA256withRSA");
        webhooks.emit(url, eventId, body, headers);
    }

    private Map<String, Object> itemJson(Item it) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("payout_item_id", it.itemId());
        if (!it.status().equals("PENDING")) {
            m.put("transaction_id", "T" + it.itemId().substring(1));
        }
        m.put("transaction_status", it.status());
        m.put("payout_item_fee", Map.of("currency", it.currency(), "value", NO_DECIMALS.contains(it.currency()) ? "0" : "0.00"));
        m.put("payout_batch_id", it.batchId());
        m.put("sender_batch_id", it.senderBatchId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("recipient_type", it.recipientType());
        detail.put("amount", Map.of("currency", it.currency(), "value", it.value()));
        detail.put("receiver", it.receiver());
        if (it.senderItemId() != null) {
            detail.put("sender_item_id", it.senderItemId());
        }
        m.put("payout_item", detail);
        if (!it.status().equals("PENDING")) {
            m.put("time_processed", clock.instant().toString());
        }
        m.put("links", List.of(link(baseUrl() + "/v1/payments/payouts-item/" + it.itemId(), "item")));
        return m;
    }

    private Map<String, Object> createdJson(Item it, JsonNode senderHeader) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("payout_batch_id", it.batchId());
        header.put("batch_status", "PENDING");
        header.put("sender_batch_header", Json.MAPPER.convertValue(senderHeader, Map.class));
        return Map.of("batch_header", header, "links", List.of(link(baseUrl() + "/v1/payments/payouts/" + it.batchId(), "self")));
    }

    private static Map<String, Object> link(String href, String rel) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("href", href);
        l.put("rel", rel);
        l.put("method", "GET");
        l.put("encType", "application/json");
        return l;
    }

    private static Map<String, Object> detail(String field, String issue, String description) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("field", field);
        d.put("location", "body");
        d.put("issue", issue);
        if (description != null) {
            d.put("description", description);
        }
        return d;
    }

    private Response error(int status, String name, String message, List<Map<String, Object>> details, List<Map<String, Object>> links) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("message", message);
        e.put("debug_id", debugId());
        e.put("information_link", "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors");
        if (!details.isEmpty()) {
            e.put("details", details);
        }
        if (!links.isEmpty()) {
            e.put("links", links);
        }
        return Json.response(status, e);
    }

    private String debugId() {
        return Long.toHexString(ids.incrementAndGet()) + "fake";
    }

    private String shortId(String prefix) {
        return prefix + Long.toString(ids.incrementAndGet(), 36).toUpperCase() + "FAKE";
    }
}
