package io.affnet.platform.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.report.ReportSchema;
import io.affnet.platform.support.PlatformIT;
import io.affnet.projections.report.ReportViews;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The indices the report projection writes have exactly the fields and types of {@link ReportSchema}. */
class ReportSchemaIT extends PlatformIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ReportViews views;
    @Autowired
    RestClient rest;

    @Test
    void theWrittenIndicesHaveTheSchemasFieldsAndTypes() throws IOException {
        Map<String, JsonNode> documents = properties(ReportSchema.MAPPING);
        assertThat(liveProperties(views.clicksAlias())).isEqualTo(documents);
        assertThat(liveProperties(views.conversionsAlias())).isEqualTo(documents);
        assertThat(liveProperties(views.rollupsAlias())).isEqualTo(properties(ReportSchema.ROLLUP_MAPPING));
    }

    private Map<String, JsonNode> liveProperties(String alias) throws IOException {
        try (InputStream in = rest.performRequest(new Request("GET", "/" + alias + "/_mapping")).getEntity().getContent()) {
            JsonNode indices = JSON.readTree(in);
            assertThat(indices.size()).as("indices behind " + alias).isEqualTo(1);
            JsonNode mappings = indices.elements().next().path("mappings");
            assertThat(mappings.path("dynamic").asText()).isEqualTo("strict");
            return byName(mappings.path("properties"));
        }
    }

    private static Map<String, JsonNode> properties(String mapping) throws IOException {
        return byName(JSON.readTree(mapping).path("properties"));
    }

    private static Map<String, JsonNode> byName(JsonNode properties) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
