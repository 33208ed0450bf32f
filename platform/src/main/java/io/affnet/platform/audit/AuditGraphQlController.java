package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.schema.DataFetchingEnvironment;
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
 * redaction of personal fields apply. Payload and metadata are JSON text.
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
}
