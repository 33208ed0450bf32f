package io.affnet.query.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Advertisers, offers, affiliates and links through GraphQL ({@code config.graphqls}): every field is answered by
 * {@link ConfigQueryController}, REST's own code, so the tenant scope, the owner scope (an affiliate its own
 * profile and links, an advertiser its own profile and offers: anything else NOT_FOUND), the paging checks and the
 * amounts' shape are REST's, and so is the field rule that an advertiser sees its offers' goals' payout as null
 * ({@link ConfigQueryController#hidePayouts}).
 */
@Controller
public class ConfigGraphQlController {

    private final ConfigQueryController rest;
    private final ObjectMapper json;

    public ConfigGraphQlController(ConfigQueryController rest, ObjectMapper json) {
        this.rest = rest;
        this.json = json;
    }

    @QueryMapping
    public Map<String, Object> advertiser(@Argument String id, DataFetchingEnvironment env) {
        return advertiser(rest.get(caller(env), "advertisers", id));
    }

    @QueryMapping
    public Map<String, Object> advertisers(@Argument Integer first, @Argument String after, DataFetchingEnvironment env) {
        return page(rest.list(caller(env), "advertisers", first, after), this::advertiser);
    }

    @QueryMapping
    public Map<String, Object> offer(@Argument String id, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        return offer(rest.get(caller, "offers", id));
    }

    @QueryMapping
    public Map<String, Object> offers(@Argument Integer first, @Argument String after, DataFetchingEnvironment env) {
        Caller caller = caller(env);
        return page(rest.list(caller, "offers", first, after), this::offer);
    }

    @QueryMapping
    public Map<String, Object> affiliate(@Argument String id, DataFetchingEnvironment env) {
        return affiliate(rest.get(caller(env), "affiliates", id));
    }

    @QueryMapping
    public Map<String, Object> affiliates(@Argument Integer first, @Argument String after, DataFetchingEnvironment env) {
        return page(rest.list(caller(env), "affiliates", first, after), this::affiliate);
    }

    @QueryMapping
    public Map<String, Object> link(@Argument String id, DataFetchingEnvironment env) {
        return link(rest.get(caller(env), "links", id));
    }

    @QueryMapping
    public Map<String, Object> links(@Argument Integer first, @Argument String after, DataFetchingEnvironment env) {
        return page(rest.list(caller(env), "links", first, after), this::link);
    }

    private Map<String, Object> page(ObjectNode page, java.util.function.Function<ObjectNode, Map<String, Object>> view) {
        List<Map<String, Object>> items = new ArrayList<>();
        page.path("items").forEach(i -> items.add(view.apply((ObjectNode) i)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next", page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.get("next").asText());
        return out;
    }

    private Map<String, Object> advertiser(ObjectNode node) {
        Map<String, Object> out = map(node);
        if (out.get("postbackIpAllowlist") == null) {
            out.put("postbackIpAllowlist", List.of());
        }
        return out;
    }

    private Map<String, Object> offer(ObjectNode node) {
        Map<String, Object> out = map(node);
        for (String list : List.of("goals", "allowedCountries", "allowedDeviceClasses")) {
            if (out.get(list) == null) {
                out.put(list, List.of());
            }
        }
        return out;
    }

    private Map<String, Object> affiliate(ObjectNode node) {
        Map<String, Object> out = map(node);
        if (out.get("payoutOverrides") == null) {
            out.put("payoutOverrides", List.of());
        }
        return out;
    }

    private Map<String, Object> link(ObjectNode node) {
        List<Map<String, Object>> params = new ArrayList<>();
        JsonNode policyParams = node.path("policyParams");
        policyParams.properties().forEach(e -> params.add(keyValue(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText())));
        node.remove("policyParams");
        Map<String, Object> out = map(node);
        out.put("policyParams", params);
        if (out.get("offerIds") == null) {
            out.put("offerIds", List.of());
        }
        out.put("smart", node.path("offerIds").size() > 1 || node.hasNonNull("policy"));
        return out;
    }

    private static Map<String, Object> keyValue(String key, String value) {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("key", key);
        kv.put("value", value);
        return kv;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(ObjectNode node) {
        return json.convertValue(node, LinkedHashMap.class);
    }

    static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }
}
