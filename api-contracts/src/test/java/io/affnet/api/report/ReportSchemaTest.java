package io.affnet.api.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The fixtures are the mappings the live indices were created with (versions 2 and 1): a change of a
     * field or type there needs a new index version and a rebuild, so it must not happen by accident.
     */
    @Test
    void mappingsAreThoseOfTheLiveIndexVersions() throws IOException {
        assertThat(JSON.readTree(ReportSchema.MAPPING)).isEqualTo(fixture("/report/documents-v2.json"));
        assertThat(JSON.readTree(ReportSchema.ROLLUP_MAPPING)).isEqualTo(fixture("/report/click-rollups-v1.json"));
    }

    @Test
    void mappingsAreStrictAndNameEveryFieldOnce() throws IOException {
        for (List<ReportSchema.Field> fields : List.of(ReportSchema.DOCUMENT_FIELDS, ReportSchema.ROLLUP_FIELDS)) {
            assertThat(new HashSet<>(fields.stream().map(ReportSchema.Field::name).toList())).hasSameSizeAs(fields);
        }
        JsonNode documents = JSON.readTree(ReportSchema.MAPPING);
        assertThat(documents.path("dynamic").asText()).isEqualTo("strict");
        assertThat(documents.path("properties").size()).isEqualTo(ReportSchema.DOCUMENT_FIELDS.size());
        assertThat(JSON.readTree(ReportSchema.ROLLUP_MAPPING).path("properties").size()).isEqualTo(ReportSchema.ROLLUP_FIELDS.size());
    }

    @Test
    void rollupsShareTheTypesOfTheDocumentFieldsTheyHave() {
        for (ReportSchema.Field rollup : ReportSchema.ROLLUP_FIELDS) {
            ReportSchema.DOCUMENT_FIELDS.stream().filter(d -> d.name().equals(rollup.name())).findFirst()
                    .ifPresent(d -> assertThat(rollup.type()).as(rollup.name()).isEqualTo(d.type()));
        }
    }

    private static JsonNode fixture(String resource) throws IOException {
        try (InputStream in = ReportSchemaTest.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        }
    }
}
