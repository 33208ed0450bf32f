package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.audit.AuditCheckpointSignedEvent;
import io.affnet.api.audit.AuditHistoryReadEvent;
import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event history for auditors: a tenant's events in commit order, as a cursor-paginated JSON page or a
 * streamed NDJSON export (one event a line, written as it is read, so any size fits in bounded memory),
 * the chain verification, the public checkpoint keys and checkpoints on demand. Auditors and tenant admins
 * read their own tenant; the operator reads any tenant by {@code tenantId}, and each such read is appended
 * to that tenant's history ({@link AuditHistoryReadEvent}). The operator does not see personal fields (IP
 * hashes, emails): in its export they are replaced by the payload's digest, which keeps the chain checkable.
 */
@RestController
@Access({Role.OPERATOR, Role.TENANT_ADMIN, Role.AUDITOR})
public class AuditController {

    public static final String NDJSON = "application/x-ndjson";

    /** Payload fields that identify a person; hidden from roles that may not see personal data. */
    static final Set<String> PERSONAL_FIELDS = Set.of("ipHash", "ipPrefix", "email", "customerEmailHash", "affiliateEmailHash");

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.$]{1,200}");
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_.:@-]{1,255}");
    private static final int MAX_LIMIT = 1000;
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final AuditHistory history;
    private final AuditVerification verification;
    private final AuditCheckpoints checkpoints;
    private final AuditState state;
    private final AuditKeys keys;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    public AuditController(AuditHistory history, AuditVerification verification, AuditCheckpoints checkpoints, AuditState state,
                           AuditKeys keys, EventStore eventStore, JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.history = history;
        this.state = state;
        this.verification = verification;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(value = "/api/v1/audit/events", produces = "application/json")
    @Operation(summary = "A tenant's events in commit order: ?from=&to= (ISO instants), type= (repeatable or comma-separated; "
            + "simple or full class name), aggregateType=, aggregateId=, actor= (principal or key id), after= (cursor: a global "
            + "position), limit= (1-1000, default 100); tenantId= for the operator. Accept: application/x-ndjson streams all.",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> events(Caller caller, HttpServletRequest request,
                                      @RequestParam(value = "tenantId", required = false) String tenantId,
                                      @RequestParam(value = "limit", required = false) String limit) {
        return events(caller, tenantId, Params.of(request), limit, () -> what(request), "rest");
    }

    /**
     * The events page for REST and GraphQL alike ({@code AuditGraphQlController}): the filters are read from
     * {@code params}; an operator's read is recorded as {@code what} through {@code channel}.
     */
    public Map<String, Object> events(Caller caller, String tenantId, Params params, String limit,
                                      java.util.function.Supplier<String> what, String channel) {
        String tenant = tenant(caller, tenantId);
        AuditHistory.Filter filter = filter(tenant, params);
        int max = limit(limit);
        boolean personal = personal(caller);
        List<JsonNode> events = new ArrayList<>();
        long cursor = history.read(filter, entry -> {
            events.add(render(entry, personal, false));
            return events.size() < max;
        });
        recordOperatorRead(caller, tenant, what, channel);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("tenantId", tenant);
        page.put("events", events);
        page.put("nextCursor", cursor < 0 ? null : Long.toString(cursor));
        return page;
    }

    /** Where the filters of a read come from: a request's query parameters, or GraphQL arguments. */
    public interface Params {
        String get(String name);

        String[] all(String name);

        static Params of(HttpServletRequest request) {
            return new Params() {
                @Override
                public String get(String name) {
                    return request.getParameter(name);
                }

                @Override
                public String[] all(String name) {
                    return request.getParameterValues(name);
                }
            };
        }

        /** Named values (a null value: not given); a list value is the repeatable parameter. */
        static Params of(Map<String, ?> values) {
            return new Params() {
                @Override
                public String get(String name) {
                    String[] all = all(name);
                    return all == null || all.length == 0 ? null : all[0];
                }

                @Override
                public String[] all(String name) {
                    Object v = values.get(name);
                    if (v == null) {
                        return null;
                    }
                    if (v instanceof java.util.Collection<?> c) {
                        return c.stream().map(String::valueOf).toArray(String[]::new);
                    }
                    return new String[]{v.toString()};
                }
            };
        }
    }

    @GetMapping(value = "/api/v1/audit/events", produces = NDJSON)
    @Operation(summary = "The same events, streamed as NDJSON (all pages), with each event's stored form and chain link",
            security = @SecurityRequirement(name = "bearer"))
    public void eventsNdjson(Caller caller, HttpServletRequest request, HttpServletResponse response,
                             @RequestParam(value = "tenantId", required = false) String tenantId) throws IOException {
        export(caller, request, response, tenantId);
    }

    @GetMapping(value = "/api/v1/audit/events.ndjson")
    @Operation(summary = "Streaming NDJSON export of a tenant's events (the filters of /api/v1/audit/events), each line with its "
            + "stored form and chain link, verifiable offline (docs/audit.md)", security = @SecurityRequirement(name = "bearer"))
    public void export(Caller caller, HttpServletRequest request, HttpServletResponse response,
                       @RequestParam(value = "tenantId", required = false) String tenantId) throws IOException {
        String tenant = tenant(caller, tenantId);
        AuditHistory.Filter filter = filter(tenant, request);
        boolean personal = personal(caller);
        recordOperatorRead(caller, tenant, request);
        response.setStatus(200);
        response.setContentType(NDJSON);
        response.setCharacterEncoding("UTF-8");
        OutputStream out = response.getOutputStream();
        IOException[] failed = new IOException[1];
        int[] sinceFlush = new int[1];
        history.read(filter, entry -> {
            try {
                out.write(json.writeValueAsBytes(render(entry, personal, true)));
                out.write('\n');
                if (++sinceFlush[0] >= 500) {
                    out.flush();
                    sinceFlush[0] = 0;
                }
                return true;
            } catch (IOException e) {
                failed[0] = e;
                return false;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        out.flush();
    }

    @GetMapping("/api/v1/audit/state")
    @Operation(summary = "The tenant's figures at an instant (at=ISO instant or now), recomputed from its events alone in memory: "
            + "commission balances per affiliate and currency, conversions by status, report totals per day, offer and affiliate; "
            + "affiliateId=/offerId= narrow the replay. At now, the live views are compared field by field.",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> state(Caller caller, HttpServletRequest request,
                                     @RequestParam(value = "tenantId", required = false) String tenantId,
                                     @RequestParam(value = "at", required = false) String at) {
        return state(caller, tenantId, Params.of(request), () -> what(request), "rest");
    }

    /** The state for REST and GraphQL alike ({@code AuditGraphQlController}): {@code at}, {@code affiliateId}, {@code offerId}. */
    public Map<String, Object> state(Caller caller, String tenantId, Params params, java.util.function.Supplier<String> what,
                                     String channel) {
        String tenant = tenant(caller, tenantId);
        String at = params.get("at");
        boolean now = at == null || at.equals("now");
        Instant instant = now ? clock.instant() : instant(params, "at");
        String affiliate = token(params, "affiliateId");
        String offer = token(params, "offerId");
        AuditState.Replayed replayed = state.at(tenant, instant, affiliate, offer);
        recordOperatorRead(caller, tenant, what, channel);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", tenant);
        body.put("at", instant.toString());
        body.putAll(AuditState.body(replayed));
        if (now) {
            List<AuditState.Difference> differences = AuditState.compare(replayed.figures(),
                    state.liveBalances(tenant, affiliate, offer), "balance/", "conversions/");
            body.put("live", Map.of("compared", List.of("balances", "conversions"), "matches", differences.isEmpty(),
                    "differences", differences));
        }
        return body;
    }

    @GetMapping("/api/v1/audit/diff")
    @Operation(summary = "What changed between two instants (from=, to=: ISO instants) and which events caused it: every figure "
            + "that moved, with its value at both ends, and the events (first 1000) with the figures each moved",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> diff(Caller caller, HttpServletRequest request,
                                    @RequestParam(value = "tenantId", required = false) String tenantId) {
        return diff(caller, tenantId, Params.of(request), () -> what(request), "rest");
    }

    /** The diff for REST and GraphQL alike: {@code from}, {@code to}, {@code affiliateId}, {@code offerId}. */
    public Map<String, Object> diff(Caller caller, String tenantId, Params params, java.util.function.Supplier<String> what,
                                    String channel) {
        String tenant = tenant(caller, tenantId);
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (from == null || to == null) {
            throw ApiProblem.invalid(from == null ? "from" : "to", "a diff needs from= and to= (ISO instants)");
        }
        if (!from.isBefore(to)) {
            throw ApiProblem.invalid("to", "to must be after from");
        }
        AuditState.Diff diff = state.diff(tenant, from, to, token(params, "affiliateId"), token(params, "offerId"));
        recordOperatorRead(caller, tenant, what, channel);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenantId", tenant);
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("changes", diff.changes());
        body.put("causes", diff.causes());
        body.put("causesTotal", diff.causesTotal());
        body.put("events", diff.scanned());
        body.put("replayMillis", diff.millis());
        body.put("replayEventsPerSecond", diff.millis() == 0 ? diff.scanned() * 1000 : diff.scanned() * 1000 / diff.millis());
        return body;
    }

    @GetMapping("/api/v1/audit/verify")
    @Operation(summary = "Recomputes the tenant's hash chain and checks its signed checkpoints; the first broken link, if any, "
            + "with its global position (the operator without tenantId: every chain)", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> verify(Caller caller, HttpServletRequest request,
                                      @RequestParam(value = "tenantId", required = false) String tenantId) {
        return verify(caller, tenantId, () -> what(request), "rest");
    }

    /** The verification for REST and GraphQL alike. */
    public Map<String, Object> verify(Caller caller, String tenantId, java.util.function.Supplier<String> what, String channel) {
        String tenant = caller.isOperator() && tenantId == null ? null : tenant(caller, tenantId);
        ChainVerifier.Result result = verification.verify(tenant);
        if (tenant != null) {
            recordOperatorRead(caller, tenant, what, channel);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verified", result.verified());
        body.put("events", result.events());
        body.put("tenants", result.tenants());
        body.put("checkpoints", result.checkpoints());
        if (result.broken() != null) {
            body.put("broken", Map.of("globalPosition", result.broken().globalIndex(), "tenantId", result.broken().tenantId(),
                    "seq", result.broken().seq(), "reason", result.broken().reason()));
        }
        body.put("line", result.line());
        return body;
    }

    @PostMapping("/api/v1/audit/checkpoints")
    @Access({Role.OPERATOR, Role.TENANT_ADMIN})
    @Operation(summary = "Signs the head of the tenant's chain now (the operator: every tenant, or tenantId=) and appends the "
            + "checkpoint as an event; export them with /api/v1/audit/events.ndjson?type=AuditCheckpointSignedEvent",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Map<String, Object>> checkpoint(Caller caller,
                                                          @RequestParam(value = "tenantId", required = false) String tenantId) {
        String tenant = caller.isOperator() && tenantId == null ? null : tenant(caller, tenantId);
        List<AuditCheckpointSignedEvent> signed = checkpoints.checkpoint(tenant);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("checkpoints", signed));
    }

    @GetMapping("/api/v1/audit/keys")
    @Operation(summary = "The public Ed25519 keys that sign checkpoints, by key id (base64 X.509), and the active one",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> keys() {
        Map<String, String> encoded = new LinkedHashMap<>();
        keys.publicKeys().forEach((id, key) -> encoded.put(id, AuditKeys.encode(key)));
        return Map.of("activeKeyId", keys.activeId(), "keys", encoded);
    }

    /** The tenant whose history is read: the caller's own; for the operator, the named one. */
    private String tenant(Caller caller, String tenantId) {
        if (tenantId != null && !TOKEN.matcher(tenantId).matches()) {
            throw ApiProblem.invalid("tenantId", "tenantId is not a tenant id");
        }
        if (!caller.isOperator()) {
            if (tenantId != null && !tenantId.equals(caller.tenantId().value())) {
                throw ApiProblem.notFound("Tenant");
            }
            return caller.tenantId().value();
        }
        if (tenantId == null) {
            throw ApiProblem.invalid("tenantId", "the operator names the tenant to read: tenantId=");
        }
        Integer known = jdbc.queryForObject("SELECT count(*) FROM audit_chain_head WHERE tenant_id = ? AND seq > 0", Integer.class, tenantId);
        if (known == null || known == 0) {
            throw ApiProblem.notFound("Tenant");
        }
        return tenantId;
    }

    private static boolean personal(Caller caller) {
        return caller.role() == Role.TENANT_ADMIN || caller.role() == Role.AUDITOR;
    }

    private void recordOperatorRead(Caller caller, String tenant, HttpServletRequest request) {
        recordOperatorRead(caller, tenant, () -> what(request), "rest");
    }

    private static String what(HttpServletRequest request) {
        return request.getMethod() + " " + request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    private void recordOperatorRead(Caller caller, String tenant, java.util.function.Supplier<String> read, String channel) {
        if (!caller.isOperator()) {
            return;
        }
        String what = read.get();
        if (what.length() > 1000) {
            what = what.substring(0, 1000);
        }
        eventStore.publish(GenericEventMessage.asEventMessage(new AuditHistoryReadEvent(tenant, caller.principalId(), what, clock.instant()))
                .andMetaData(MetaData.from(Map.of("tenantId", tenant, "principalId", caller.principalId(), "role", caller.role().name(),
                        "channel", channel))));
    }

    private AuditHistory.Filter filter(String tenant, HttpServletRequest request) {
        return filter(tenant, Params.of(request));
    }

    private AuditHistory.Filter filter(String tenant, Params request) {
        Instant from = instant(request, "from");
        Instant to = instant(request, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.invalid("to", "to must be after from");
        }
        Set<String> types = new LinkedHashSet<>();
        String[] typeValues = request.all("type");
        if (typeValues != null) {
            for (String v : typeValues) {
                for (String t : v.split(",")) {
                    if (!TYPE.matcher(t.trim()).matches()) {
                        throw ApiProblem.invalid("type", "an event type is a class name (letters, digits, . _ $)");
                    }
                    types.add(t.trim());
                }
            }
        }
        long after = 0;
        String cursor = request.get("after");
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                after = -1;
            }
            if (after < 0) {
                throw ApiProblem.invalid("after", "after is a cursor: a global position (a whole number ≥ 0)");
            }
        }
        return new AuditHistory.Filter(tenant, from, to, types, token(request, "aggregateType"), token(request, "aggregateId"),
                token(request, "actor"), after);
    }

    private static Instant instant(Params request, String name) {
        String value = request.get(name);
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(name, name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        // Years 0000-9999: a replay reads up to the instant plus a nanosecond, which Instant.MAX would overflow.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiProblem.invalid(name, name + " must be an instant in the years 0000 to 9999");
        }
        return instant;
    }

    private static String token(Params request, String name) {
        String value = request.get(name);
        if (value != null && !TOKEN.matcher(value).matches()) {
            throw ApiProblem.invalid(name, name + " must be 1-255 letters, digits or _ . : @ -");
        }
        return value;
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** One event as an auditor reads it; {@code stored}: with its stored form (for offline verification). */
    ObjectNode render(AuditHistory.Entry entry, boolean personal, boolean stored) {
        TrackedEventMessage<?> m = entry.read().message();
        StoredEvent s = entry.read().stored();
        ObjectNode node = json.createObjectNode();
        node.put("globalPosition", s.globalIndex());
        node.put("eventId", m.getIdentifier());
        node.put("type", m.getPayloadType().getSimpleName());
        node.put("payloadType", m.getPayloadType().getName());
        node.put("revision", s.payloadRevision());
        if (m instanceof DomainEventMessage<?> d && d.getType() != null) {
            node.put("aggregateType", d.getType());
            node.put("aggregateId", d.getAggregateIdentifier());
            node.put("sequence", d.getSequenceNumber());
        } else {
            node.putNull("aggregateType");
            node.putNull("aggregateId");
            node.putNull("sequence");
        }
        node.put("timestamp", m.getTimestamp().toString());
        JsonNode payload = json.valueToTree(m.getPayload());
        boolean redacted = !personal && redact(payload);
        node.set("payload", payload);
        node.set("metadata", json.valueToTree(m.getMetaData()));
        ObjectNode actor = node.putObject("actor");
        actor.put("principalId", text(m.getMetaData().get("principalId")));
        actor.put("role", text(m.getMetaData().get("role")));
        actor.put("keyId", text(m.getMetaData().get("keyId")));
        actor.put("via", via(m, payload));
        actor.put("requestId", text(m.getMetaData().get("requestId")));
        ObjectNode chain = node.putObject("chain");
        chain.put("tenantId", entry.link().tenantId());
        chain.put("seq", entry.link().seq());
        chain.put("hash", ChainHash.hex(entry.link().hash()));
        if (stored) {
            ObjectNode st = node.putObject("stored");
            st.put("eventId", s.eventId());
            st.put("aggregateType", s.aggregateType());
            st.put("aggregateId", s.aggregateId());
            st.put("sequence", s.sequence());
            st.put("timestamp", s.timestamp());
            st.put("payloadType", s.payloadType());
            st.put("payloadRevision", s.payloadRevision());
            if (redacted) {
                st.put("payloadSha256", ChainHash.hex(ChainHash.sha256(s.payload())));
            } else {
                st.put("payload", Base64.getEncoder().encodeToString(s.payload()));
            }
            st.put("metadata", s.metadata() == null ? null : Base64.getEncoder().encodeToString(s.metadata()));
        }
        return node;
    }

    /** Through what the event came: the metadata's channel, else what the event says, else the platform itself. */
    private static String via(TrackedEventMessage<?> m, JsonNode payload) {
        Object channel = m.getMetaData().get("channel");
        if (channel instanceof String c) {
            return c;
        }
        if (payload.path("channel").isTextual()) {
            return payload.path("channel").asText();
        }
        if (payload.path("input").path("channel").isTextual()) {
            return payload.path("input").path("channel").asText();
        }
        if (m instanceof DomainEventMessage<?> d && "Click".equals(d.getType())) {
            return "click";
        }
        return m.getMetaData().get("role") != null ? "rest" : "system";
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** Removes personal fields wherever they sit; true when one was removed. */
    static boolean redact(JsonNode node) {
        boolean removed = false;
        if (node instanceof ObjectNode object) {
            for (String f : PERSONAL_FIELDS) {
                if (object.has(f)) {
                    object.remove(f);
                    removed = true;
                }
            }
            Iterator<JsonNode> children = object.elements();
            while (children.hasNext()) {
                removed |= redact(children.next());
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode child : array) {
                removed |= redact(child);
            }
        }
        return removed;
    }

}
