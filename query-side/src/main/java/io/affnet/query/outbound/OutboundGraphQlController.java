package io.affnet.query.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.schema.DataFetchingEnvironment;
import io.affnet.query.keys.ApiKeyQueryController;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API keys, affiliates' postback endpoints and the delivery log through GraphQL ({@code config.graphqls}), answered
 * by REST's own controllers ({@link ApiKeyQueryController}, {@link OutboundQueryController}): the same role rules
 * (an affiliate key its own endpoint and log only, another affiliate's id NOT_FOUND), tenant scope, paging checks,
 * and never a secret (keys without secret or hash, endpoints with the secret's prefix, URLs masked); the tenant's
 * payout webhook likewise ({@code payoutWebhook}, tenant admin).
 */
@Controller
public class OutboundGraphQlController {

    private final ApiKeyQueryController keys;
    private final OutboundQueryController outbound;
    private final ObjectMapper json;

    public OutboundGraphQlController(ApiKeyQueryController keys, OutboundQueryController outbound, ObjectMapper json) {
        this.keys = keys;
        this.outbound = outbound;
        this.json = json;
    }

    @QueryMapping
    public Map<String, Object> apiKeys(@Argument Integer first, @Argument String after, DataFetchingEnvironment env) {
        ApiKeyQueryController.KeyPage page = keys.list(caller(env), first, after);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ApiKeyQueryController.KeyView k : page.items()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("keyId", k.keyId());
            item.put("keyPrefix", k.keyPrefix());
            item.put("principalId", k.principalId());
            item.put("role", k.role());
            item.put("label", k.label());
            item.put("issuedBy", k.issuedBy());
            item.put("createdAt", text(k.createdAt()));
            item.put("lastUsedAt", text(k.lastUsedAt()));
            item.put("expiresAt", text(k.expiresAt()));
            item.put("replacedBy", k.replacedBy());
            item.put("revokedAt", text(k.revokedAt()));
            item.put("active", k.active());
            items.add(item);
        }
        return page(items, page.next());
    }

    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> affiliatePostback(@Argument String affiliateId, DataFetchingEnvironment env) {
        ObjectNode endpoint = outbound.endpoint(caller(env), affiliateId);
        Map<String, Object> out = json.convertValue(endpoint, LinkedHashMap.class);
        if (out.get("templates") == null) {
            out.put("templates", List.of());
        }
        return out;
    }

    /** The tenant's payout webhook: REST's answer (tenant admin; the secret's prefix only). */
    @QueryMapping
    @SuppressWarnings("unchecked")
    public Map<String, Object> payoutWebhook(DataFetchingEnvironment env) {
        return json.convertValue(outbound.payoutWebhook(caller(env)), LinkedHashMap.class);
    }

    @QueryMapping
    public Map<String, Object> postbackDeliveries(@Argument String affiliateId, @Argument Integer first, @Argument String after,
                                                  DataFetchingEnvironment env) {
        return deliveries(outbound.byAffiliate(caller(env), affiliateId, first, before(after)));
    }

    @QueryMapping
    public Map<String, Object> conversionPostbackDeliveries(@Argument String conversionId, @Argument Integer first,
                                                            @Argument String after, DataFetchingEnvironment env) {
        return deliveries(outbound.byConversion(caller(env), conversionId, first, before(after)));
    }

    /** REST pages the log with {@code before} (a seq); GraphQL's {@code after} is the same number as text. */
    private static Long before(String after) {
        if (after == null) {
            return null;
        }
        try {
            long seq = Long.parseLong(after);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("after", "after must be the next of a previous page");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> deliveries(ObjectNode page) {
        List<Map<String, Object>> items = new ArrayList<>();
        page.path("items").forEach(i -> items.add(json.convertValue(i, LinkedHashMap.class)));
        return page(items, page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.get("next").asText());
    }

    private static Map<String, Object> page(List<Map<String, Object>> items, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next", next);
        return out;
    }

    private static String text(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }
}
