package io.affnet.fakes.stripe;

import io.affnet.fakes.FakeHttp;
import io.affnet.fakes.FakeHttp.Request;
import io.affnet.fakes.FakeHttp.Response;
import io.affnet.fakes.FaultDice;
import io.affnet.fakes.Faults;
import io.affnet.fakes.Json;
import io.affnet.fakes.WebhookDispatcher;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful local Stripe for Connect transfers, faithful to the documented API (docs.stripe.com/api/transfers,
 * /idempotency, /errors, /webhooks): form-encoded {@code POST /v1/transfers}, {@code GET /v1/transfers} by
 * {@code transfer_group} and {@code destination}, {@code GET /v1/transfers/{id}}, reversals, {@code GET /v1/balance}.
 *
 * <p>Idempotency as Stripe documents it: once execution begins, the first status and body are saved under
 * the {@code Idempotency-Key} and replayed (with {@code Idempotent-Replayed: true}), 500s included; the same
 * key with other parameters is an {@code idempotency_error}; validation failures and 409s are not saved; a
 * request while another with the same key runs gets a 409. The platform's available balance per currency
 * is debited by each transfer ({@code balance_insufficient} when short). Events are signed with
 * {@code Stripe-Signature: t=..,v1=..} (one {@code v1} per configured secret, as during a rotation).
 */
public final class FakeStripe implements AutoCloseable {

    public static final String API_VERSION = "2023-08-16";

    private record Saved(String fingerprint, int status, byte[] body) {
    }

    /** A transfer as the fake holds it. */
    public record Transfer(String id, long amount, String currency, String destination, String transferGroup,
                           long created, long amountReversed, String idempotencyKey) {
        public boolean reversed() {
            return amountReversed >= amount;
        }
    }

    private final String apiKey;
    private final FakeHttp http = new FakeHttp();
    private final FaultDice dice;
    private final WebhookDispatcher webhooks;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<String, Saved> idempotency = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, Transfer> transfers = new LinkedHashMap<>();
    private final Map<String, Long> available = new HashMap<>();
    private final Set<String> accounts = new HashSet<>();
    private final Map<String, Integer> createAttempts = new HashMap<>();
    private volatile String webhookUrl;
    private volatile List<String> webhookSecrets = List.of();

    public FakeStripe(String apiKey, Faults faults) {
        this.apiKey = apiKey;
        this.dice = new FaultDice(faults);
        this.webhooks = new WebhookDispatcher(dice);
        http.route("POST", "/v1/transfers", this::createTransfer)
                .route("GET", "/v1/transfers", this::listTransfers)
                .route("GET", "/v1/transfers/([A-Za-z0-9_]+)", this::getTransfer)
                .route("POST", "/v1/transfers/([A-Za-z0-9_]+)/reversals", this::createReversal)
                .route("GET", "/v1/balance", this::balance)
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

    /** The next state-changing request gets this fault, whatever the RNG says. */
    public FakeStripe force(Faults.Draw draw) {
        dice.force(draw);
        return this;
    }

    public synchronized FakeStripe connectedAccount(String accountId) {
        accounts.add(accountId);
        return this;
    }

    /** Sets the platform's available balance in a currency, in Stripe's amount units. */
    public synchronized FakeStripe balance(String currency, long amount) {
        available.put(currency.toLowerCase(Locale.ROOT), amount);
        return this;
    }

    public synchronized long balanceOf(String currency) {
        return available.getOrDefault(currency.toLowerCase(Locale.ROOT), 0L);
    }

    /** Where events go, signed with each secret (two during a rotation). */
    public FakeStripe webhookEndpoint(String url, String... secrets) {
        this.webhookUrl = url;
        this.webhookSecrets = List.of(secrets);
        return this;
    }

    /** Forgets every idempotency key, as Stripe may after 24 hours. */
    public synchronized void pruneIdempotencyKeys() {
        idempotency.clear();
    }

    public synchronized List<Transfer> transfers() {
        return List.copyOf(transfers.values());
    }

    public synchronized List<Transfer> transfersInGroup(String group) {
        return transfers.values().stream().filter(t -> group.equals(t.transferGroup())).toList();
    }

    /** How many create requests (with any outcome) arrived for an idempotency key. */
    public synchronized int createAttempts(String idempotencyKey) {
        return createAttempts.getOrDefault(idempotencyKey, 0);
    }

    public WebhookDispatcher webhooks() {
        return webhooks;
    }

    /** Reverses a whole transfer (as the platform's dashboard would) and emits {@code transfer.reversed}. */
    public void reverse(String transferId) {
        Transfer t;
        synchronized (this) {
            t = transfers.get(transferId);
            if (t == null) {
                throw new IllegalArgumentException("no transfer " + transferId);
            }
            t = new Transfer(t.id(), t.amount(), t.currency(), t.destination(), t.transferGroup(), t.created(), t.amount(), t.idempotencyKey());
            transfers.put(t.id(), t);
            available.merge(t.currency(), t.amount(), Math::addExact);
        }
        emit("transfer.reversed", transferJson(t), null);
    }

    /** Emits an event that happened on a connected account (Connect events carry {@code account}). */
    public String emitConnectEvent(String account, String type, Map<String, Object> object) {
        return emit(type, object, account);
    }

    /** A fully signed {@code Stripe-Signature} header for a payload (the scheme of stripe-java's {@code Webhook}). */
    public static String signatureHeader(String payload, long timestamp, List<String> secrets) {
        StringBuilder sb = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            sb.append(",v1=").append(hmacHex(secret, timestamp + "." + payload));
        }
        return sb.toString();
    }

    static String hmacHex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        webhooks.close();
        http.close();
    }

    private Response createTransfer(Request r) throws InterruptedException {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        Map<String, String> p = FakeHttp.parseForm(r.bodyText());
        String key = r.header("Idempotency-Key");
        if (key != null) {
            synchronized (this) {
                createAttempts.merge(key, 1, Integer::sum);
            }
        }
        Faults.Draw draw = dice.draw(Faults.Draw.RATE_LIMITED, Faults.Draw.RATE_LIMITED_SHOULD_RETRY, Faults.Draw.CONFLICT);
        switch (draw) {
            case RATE_LIMITED:
                return error(429, "invalid_request_error", "rate_limit", null,
                        "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.");
            case RATE_LIMITED_SHOULD_RETRY:
                return error(429, "invalid_request_error", "rate_limit", null,
                        "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.")
                        .withHeader("Stripe-Should-Retry", "true");
            case CONFLICT:
                return error(409, "idempotency_error", null, null,
                        "There is currently another in-progress request using this Idempotent Key (that probably means you "
                                + "submitted twice, and the other request is still going through): " + key + ". Please try again later.");
            default:
                break;
        }
        Response invalid = validateCreate(p);
        if (invalid != null) {
            return invalid;
        }
        String fingerprint = new TreeMap<>(p).toString();
        synchronized (this) {
            if (key != null) {
                Saved saved = idempotency.get(key);
                if (saved != null) {
                    if (!saved.fingerprint().equals(fingerprint)) {
                        return error(400, "idempotency_error", null, null, "Keys for idempotent requests can only be used with "
                                + "the same parameters they were first used with. Try using a key other than '" + key
                                + "' if you meant to execute a different request.");
                    }
                    return new Response(saved.status(), Map.of("Content-Type", "application/json", "Idempotent-Replayed", "true"),
                            saved.body());
                }
                if (!running.add(key)) {
                    return error(409, "idempotency_error", null, null, "There is currently another in-progress request using "
                            + "this Idempotent Key: " + key + ". Please try again later.");
                }
            }
        }
        try {
            Response result;
            Transfer created = null;
            synchronized (this) {
                String currency = p.get("currency").toLowerCase(Locale.ROOT);
                long amount = Long.parseLong(p.get("amount"));
                String destination = p.get("destination");
                if (!accounts.contains(destination)) {
                    result = error(400, "invalid_request_error", "resource_missing", "destination",
                            "No such destination: '" + destination + "'");
                } else if (available.getOrDefault(currency, 0L) < amount) {
                    result = error(400, "invalid_request_error", "balance_insufficient", null,
                            "You have insufficient available funds in your Stripe account. Try adding funds directly to your "
                                    + "available balance by creating Charges using the 4000000000000077 test card.");
                } else {
                    available.merge(currency, -amount, Math::addExact);
                    created = new Transfer("tr_" + Long.toString(ids.incrementAndGet(), 36) + "FAKE" + dice.upTo(1_000_000),
                            amount, currency, destination, p.get("transfer_group"), Instant.now().getEpochSecond(), 0, key);
                    transfers.put(created.id(), created);
                    result = Json.response(200, transferJson(created));
                }
                if (draw == Faults.Draw.COMMIT_THEN_500) {
                    result = error(500, "api_error", null, null, "An unknown error occurred");
                }
                if (key != null) {
                    idempotency.put(key, new Saved(fingerprint, result.status(), result.body()));
                }
            }
            if (created != null) {
                emit("transfer.created", transferJson(created), null);
            }
            if (draw == Faults.Draw.COMMIT_THEN_DROP) {
                throw new FakeHttp.Drop();
            }
            if (draw == Faults.Draw.COMMIT_THEN_SLOW) {
                Thread.sleep(dice.faults().slowAnswer().toMillis());
            }
            return result.withHeader("Request-Id", "req_" + ids.incrementAndGet());
        } finally {
            if (key != null) {
                synchronized (this) {
                    running.remove(key);
                }
            }
        }
    }

    private Response validateCreate(Map<String, String> p) {
        for (String required : List.of("amount", "currency", "destination")) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                return error(400, "invalid_request_error", "parameter_missing", required, "Missing required param: " + required + ".");
            }
        }
        long amount;
        try {
            amount = Long.parseLong(p.get("amount"));
        } catch (NumberFormatException e) {
            return error(400, "invalid_request_error", "parameter_invalid_integer", "amount", "Invalid integer: " + p.get("amount"));
        }
        if (amount < 1) {
            return error(400, "invalid_request_error", "parameter_invalid_integer", "amount",
                    "This value must be greater than or equal to 1.");
        }
        if (!p.get("currency").matches("[a-zA-Z]{3}")) {
            return error(400, "invalid_request_error", "parameter_invalid_string", "currency", "Invalid currency: " + p.get("currency"));
        }
        return null;
    }

    private Response listTransfers(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        String group = r.query().get("transfer_group");
        String destination = r.query().get("destination");
        int limit = 10;
        if (r.query().containsKey("limit")) {
            try {
                limit = Integer.parseInt(r.query().get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                return error(400, "invalid_request_error", "parameter_invalid_integer", "limit",
                        "This value must be between 1 and 100.");
            }
        }
        List<Map<String, Object>> data = new ArrayList<>();
        boolean more = false;
        synchronized (this) {
            List<Transfer> all = new ArrayList<>(transfers.values());
            java.util.Collections.reverse(all);
            for (Transfer t : all) {
                if ((group == null || group.equals(t.transferGroup())) && (destination == null || destination.equals(t.destination()))) {
                    if (data.size() == limit) {
                        more = true;
                        break;
                    }
                    data.add(transferJson(t));
                }
            }
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        list.put("has_more", more);
        list.put("url", "/v1/transfers");
        return Json.response(200, list);
    }

    private Response getTransfer(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        String id = r.match().group(1);
        Transfer t;
        synchronized (this) {
            t = transfers.get(id);
        }
        if (t == null) {
            return error(404, "invalid_request_error", "resource_missing", "id", "No such transfer: '" + id + "'");
        }
        return Json.response(200, transferJson(t));
    }

    private Response createReversal(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        String id = r.match().group(1);
        synchronized (this) {
            if (!transfers.containsKey(id)) {
                return error(404, "invalid_request_error", "resource_missing", "id", "No such transfer: '" + id + "'");
            }
        }
        reverse(id);
        Transfer t;
        synchronized (this) {
            t = transfers.get(id);
        }
        return Json.response(200, reversalJson(t));
    }

    private Response balance(Request r) {
        Response denied = authenticate(r);
        if (denied != null) {
            return denied;
        }
        List<Map<String, Object>> avail = new ArrayList<>();
        List<Map<String, Object>> pending = new ArrayList<>();
        synchronized (this) {
            available.forEach((currency, amount) -> {
                avail.add(new LinkedHashMap<>(Map.of("amount", amount, "currency", currency, "source_types", Map.of("card", amount))));
                pending.add(new LinkedHashMap<>(Map.of("amount", 0L, "currency", currency, "source_types", Map.of("card", 0L))));
            });
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("object", "balance");
        b.put("available", avail);
        b.put("livemode", false);
        b.put("pending", pending);
        return Json.response(200, b);
    }

    private Response authenticate(Request r) {
        String auth = r.header("Authorization");
        String presented = null;
        if (auth != null && auth.startsWith("Bearer ")) {
            presented = auth.substring(7);
        } else if (auth != null && auth.startsWith("Basic ")) {
            String decoded = new String(java.util.Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            presented = decoded.endsWith(":") ? decoded.substring(0, decoded.length() - 1) : decoded;
        }
        if (presented == null) {
            return error(401, "invalid_request_error", null, null, "You did not provide an API key. You need to provide your "
                    + "API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        if (!java.security.MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            return error(401, "invalid_request_error", "api_key_invalid", null, "Invalid API Key provided: " + mask(presented));
        }
        return null;
    }

    private static String mask(String key) {
        return key.length() <= 8 ? "****" : key.substring(0, 8) + "*".repeat(Math.min(20, key.length() - 12)) + key.substring(key.length() - 4);
    }

    static Response error(int status, String type, String code, String param, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (code != null) {
            e.put("code", code);
            e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        }
        e.put("message", message);
        if (param != null) {
            e.put("param", param);
        }
        e.put("request_log_url", "https://dashboard.stripe.com/test/logs/req_fake");
        e.put("type", type);
        return Json.response(status, Map.of("error", e));
    }

    static Map<String, Object> transferJson(Transfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("object", "transfer");
        m.put("amount", t.amount());
        m.put("amount_reversed", t.amountReversed());
        m.put("balance_transaction", "txn_" + t.id().substring(3));
        m.put("created", t.created());
        m.put("currency", t.currency());
        m.put("description", null);
        m.put("destination", t.destination());
        m.put("destination_payment", "py_" + t.id().substring(3));
        m.put("livemode", false);
        m.put("metadata", Map.of());
        List<Map<String, Object>> reversals = t.amountReversed() > 0 ? List.of(reversalJson(t)) : List.of();
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", reversals);
        list.put("has_more", false);
        list.put("total_count", reversals.size());
        list.put("url", "/v1/transfers/" + t.id() + "/reversals");
        m.put("reversals", list);
        m.put("reversed", t.reversed());
        m.put("source_transaction", null);
        m.put("source_type", "card");
        m.put("transfer_group", t.transferGroup());
        return m;
    }

    static Map<String, Object> reversalJson(Transfer t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", "trr_" + t.id().substring(3));
        r.put("object", "transfer_reversal");
        r.put("amount", t.amountReversed());
        r.put("balance_transaction", "txn_r" + t.id().substring(3));
        r.put("created", t.created());
        r.put("currency", t.currency());
        r.put("destination_payment_refund", "pyr_" + t.id().substring(3));
        r.put("metadata", Map.of());
        r.put("source_refund", null);
        r.put("transfer", t.id());
        return r;
    }

    private String emit(String type, Map<String, Object> object, String account) {
        String id = "evt_" + Long.toString(ids.incrementAndGet(), 36) + "FAKE" + dice.upTo(1_000_000_000L);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("object", "event");
        if (account != null) {
            event.put("account", account);
        }
        event.put("api_version", API_VERSION);
        event.put("created", Instant.now().getEpochSecond());
        event.put("data", Map.of("object", object));
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", null);
        request.put("idempotency_key", null);
        event.put("request", request);
        event.put("type", type);
        String payload = new String(Json.bytes(event), StandardCharsets.UTF_8);
        List<String> secrets = webhookSecrets;
        if (webhookUrl != null && !secrets.isEmpty()) {
            String header = signatureHeader(payload, Instant.now().getEpochSecond(), secrets);
            webhooks.emit(webhookUrl, id, payload.getBytes(StandardCharsets.UTF_8),
                    Map.of("Stripe-Signature", header, "Content-Type", "application/json; charset=utf-8"));
        }
        return id;
    }
}
