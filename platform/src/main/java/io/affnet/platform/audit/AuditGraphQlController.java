package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.schema.DataFetchingEnvironment;
import io.affnet.api.common.MoneyJson;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail's events page through GraphQL ({@code audit.graphqls}, {@code auditEvents}): answered by
 * {@link AuditController}, the REST route's own code, so the same callers (auditors and tenant admins their own
 * tenant, the operator any tenant it names, its read recorded in that tenant's history), filters, checks and
 * redaction of personal fields apply. Payload and metadata are JSON text. The state at an instant, the diff between
 * two, the chain verification and the checkpoint keys ({@code auditState}, {@code auditDiff}, {@code auditVerify},
 * {@code auditKeys}) are answered the same way; their figures are typed, money figures also as a decimal string
 * with their currency.
 */
@Controller
public class AuditGraphQlController {

    private final AuditController rest;
    private final ObjectMapper json;

    public AuditGraphQlController(AuditController rest, ObjectMapper json) {
        this.rest = rest;
        this.json = json;
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> auditEvents(@Argument String tenantId, @Argument String from, @Argument String to,
                                           @Argument List<String> types, @Argument String aggregateType,
                                           @Argument String aggregateId, @Argument String actor, @Argument Integer first,
                                           @Argument String after, DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", from);
        params.put("to", to);
        params.put("type", types);
        params.put("aggregateType", aggregateType);
        params.put("aggregateId", aggregateId);
        params.put("actor", actor);
        params.put("after", after);
        Map<String, Object> page = rest.events(caller, tenantId, AuditController.Params.of(params),
                first == null ? null : first.toString(),
                () -> "graphql auditEvents " + params.entrySet().stream().filter(e -> e.getValue() != null)
                        .map(e -> e.getKey() + "=" + e.getValue()).toList(), "graphql");
        List<Map<String, Object>> events = new ArrayList<>();
        for (JsonNode e : (List<JsonNode>) page.get("events")) {
            Map<String, Object> event = json.convertValue(e, LinkedHashMap.class);
            event.put("payload", e.path("payload").toString());
            event.put("metadata", e.path("metadata").toString());
            events.add(event);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenantId", page.get("tenantId"));
        out.put("items", events);
        out.put("next", page.get("nextCursor"));
        return out;
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> auditState(@Argument String tenantId, @Argument String at, @Argument String affiliateId,
                                          @Argument String offerId, DataFetchingEnvironment env) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("at", at);
        params.put("affiliateId", affiliateId);
        params.put("offerId", offerId);
        Map<String, Object> body = new LinkedHashMap<>(rest.state(caller(env), tenantId, AuditController.Params.of(params),
                what("auditState", tenantId, params), "graphql"));
        List<Map<String, Object>> figures = new ArrayList<>();
        ((Map<String, Long>) body.get("figures")).forEach((name, value) -> figures.add(figure(name, value)));
        body.put("figures", figures);
        Object live = body.get("live");
        if (live instanceof Map<?, ?> l) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) l);
            List<Map<String, Object>> differences = new ArrayList<>();
            for (AuditState.Difference d : (List<AuditState.Difference>) l.get("differences")) {
                Map<String, Object> difference = new LinkedHashMap<>();
                difference.put("figure", d.figure());
                difference.put("replayed", d.replayed());
                difference.put("live", d.live());
                differences.add(difference);
            }
            out.put("differences", differences);
            body.put("live", out);
        }
        return body;
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> auditDiff(@Argument String tenantId, @Argument String from, @Argument String to,
                                         @Argument String affiliateId, @Argument String offerId, DataFetchingEnvironment env) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", from);
        params.put("to", to);
        params.put("affiliateId", affiliateId);
        params.put("offerId", offerId);
        Map<String, Object> body = new LinkedHashMap<>(rest.diff(caller(env), tenantId, AuditController.Params.of(params),
                what("auditDiff", tenantId, params), "graphql"));
        List<Map<String, Object>> changes = new ArrayList<>();
        for (AuditState.Change c : (List<AuditState.Change>) body.get("changes")) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("figure", c.figure());
            change.put("from", c.from());
            change.put("to", c.to());
            String currency = currency(c.figure());
            change.put("currency", currency);
            change.put("fromAmount", currency == null ? null : MoneyJson.amount(c.from(), currency));
            change.put("toAmount", currency == null ? null : MoneyJson.amount(c.to(), currency));
            changes.add(change);
        }
        body.put("changes", changes);
        List<Map<String, Object>> causes = new ArrayList<>();
        for (AuditState.Cause c : (List<AuditState.Cause>) body.get("causes")) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("globalPosition", Long.toString(c.globalPosition()));
            cause.put("type", c.type());
            cause.put("aggregateId", c.aggregateId());
            cause.put("timestamp", c.timestamp() == null ? null : c.timestamp().toString());
            cause.put("figures", c.figures());
            causes.add(cause);
        }
        body.put("causes", causes);
        return body;
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> auditVerify(@Argument String tenantId, DataFetchingEnvironment env) {
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>(rest.verify(caller(env), tenantId, what("auditVerify", tenantId, params),
                "graphql"));
        if (body.get("broken") instanceof Map<?, ?> broken) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) broken);
            out.put("globalPosition", String.valueOf(broken.get("globalPosition")));
            body.put("broken", out);
        }
        return body;
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> auditKeys() {
        Map<String, Object> body = rest.keys();
        List<Map<String, Object>> keys = new ArrayList<>();
        ((Map<String, String>) body.get("keys")).forEach((id, key) -> {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("keyId", id);
            k.put("publicKey", key);
            k.put("active", id.equals(body.get("activeKeyId")));
            keys.add(k);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("activeKeyId", body.get("activeKeyId"));
        out.put("keys", keys);
        return out;
    }

    /** A figure by name and value; a money figure (…Minor, revenue/payout per currency) also as a decimal string. */
    static Map<String, Object> figure(String name, long value) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("name", name);
        figure.put("value", value);
        String currency = currency(name);
        figure.put("currency", currency);
        figure.put("amount", currency == null ? null : MoneyJson.amount(value, currency));
        return figure;
    }

    /**
     * The currency of a money figure (docs/audit.md, figures): {@code balance/<affiliate>/<currency>/<x>Minor} or
     * {@code report/<day>/<offer>/<affiliate>/{revenue,payout}/<currency>}; null for counts.
     */
    static String currency(String figure) {
        String[] parts = figure.split("/");
        String code = null;
        if (parts.length >= 2 && parts[parts.length - 1].endsWith("Minor")) {
            code = parts[parts.length - 2];
        } else if (parts.length >= 2 && (parts[parts.length - 2].equals("revenue") || parts[parts.length - 2].equals("payout"))) {
            code = parts[parts.length - 1];
        }
        if (code == null) {
            return null;
        }
        try {
            return java.util.Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static java.util.function.Supplier<String> what(String field, String tenantId, Map<String, Object> params) {
        return () -> "graphql " + field + " " + (tenantId == null ? "" : "tenantId=" + tenantId + " ")
                + params.entrySet().stream().filter(e -> e.getValue() != null).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }
}
