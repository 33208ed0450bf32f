package io.affnet.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document explains the API: what each operation does, what it answers on error, what each field means. */
class OpenApiDocumentIT extends PlatformIT {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head");

    @Test
    void everyOperationHasASummaryErrorAnswersAndNoCallerParameter() {
        JsonNode doc = send("GET", "/v3/api-docs", null, null).json();
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                operations++;
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                if (op.getValue().path("summary").asText("").isBlank()) {
                    missing.add(name + ": no summary");
                }
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    if (parameter.path("name").asText().equals("caller")) {
                        missing.add(name + ": a 'caller' parameter");
                    }
                }
                JsonNode bad = op.getValue().at("/responses/400/content/application~1problem+json/schema/$ref");
                if (!bad.asText().endsWith("/Problem")) {
                    missing.add(name + ": no 400 problem+json answer");
                }
            }
        }
        assertThat(operations).isGreaterThan(30);
        assertThat(doc.at("/components/schemas/Problem/properties/errors/items/properties/field").isObject()).isTrue();
        assertThat(missing).isEmpty();
    }

    @Test
    void everyRequestFieldHasADescriptionAnExampleAndSaysWhetherItIsRequired() {
        JsonNode doc = send("GET", "/v3/api-docs", null, null).json();
        JsonNode schemas = doc.at("/components/schemas");
        Set<String> requestSchemas = new HashSet<>();
        for (JsonNode path : doc.get("paths")) {
            for (Map.Entry<String, JsonNode> op : path.properties()) {
                String ref = op.getValue().at("/requestBody/content/application~1json/schema/$ref").asText("");
                if (!ref.isEmpty()) {
                    collect(ref, schemas, requestSchemas);
                }
            }
        }
        assertThat(requestSchemas).contains("OfferRequest", "GoalBody", "AmountBody", "AffiliateRequest", "LinkRequest");
        List<String> missing = new ArrayList<>();
        for (String name : requestSchemas) {
            JsonNode schema = schemas.get(name);
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                JsonNode p = property.getValue();
                String field = name + "." + property.getKey();
                boolean reference = p.has("$ref") || p.path("items").has("$ref");
                if (!reference && p.path("description").asText("").isBlank()) {
                    missing.add(field + ": no description");
                }
                if (!reference && !p.has("example")) {
                    missing.add(field + ": no example");
                }
            }
            if (schema.path("description").asText("").isBlank() && required.isEmpty() && !name.endsWith("Request")) {
                missing.add(name + ": no description");
            }
        }
        JsonNode offer = schemas.get("OfferRequest");
        assertThat(offer.get("required")).extracting(JsonNode::asText)
                .contains("name", "advertiserId", "destinationUrl", "currency", "goals");
        assertThat(schemas.at("/AmountBody/properties/amount/pattern").asText()).isNotBlank();
        assertThat(schemas.at("/AmountBody/properties/percent/maximum").asInt()).isEqualTo(100);
        assertThat(missing).isEmpty();
    }

    private static void collect(String ref, JsonNode schemas, Set<String> into) {
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        if (!into.add(name)) {
            return;
        }
        for (JsonNode p : schemas.path(name).path("properties")) {
            String inner = p.has("$ref") ? p.get("$ref").asText() : p.path("items").path("$ref").asText("");
            if (!inner.isEmpty()) {
                collect(inner, schemas, into);
            }
        }
    }
}
