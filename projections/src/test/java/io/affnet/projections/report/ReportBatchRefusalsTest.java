package io.affnet.projections.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bulk answer's failed items: "not now" fails the batch (retried), "never" is skipped and counted. */
class ReportBatchRefusalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDocumentElasticsearchCanNeverTakeIsSkippedAndCounted() throws Exception {
        long before = ReportBatch.refusedDocuments();
        ReportBatch.refusals(JSON.readTree("""
                {"errors":true,"items":[{"index":{"_index":"clicks","_id":"c1","status":400,
                  "error":{"type":"document_parsing_exception","reason":"failed to parse field [time]"}}},
                  {"index":{"_index":"clicks","_id":"c2","status":201}}]}"""));
        assertThat(ReportBatch.refusedDocuments()).isEqualTo(before + 1);
    }

    @Test
    void aVersionConflictTooManyRequestsOrServerFailureFailsTheBatch() {
        for (int status : new int[]{409, 429, 503}) {
            long before = ReportBatch.refusedDocuments();
            assertThatThrownBy(() -> ReportBatch.refusals(JSON.readTree("""
                    {"errors":true,"items":[{"index":{"_index":"rollups","_id":"r1","status":400,
                      "error":{"type":"mapper_parsing_exception","reason":"never"}}},
                      {"index":{"_index":"rollups","_id":"r2","status":%d,"error":{"type":"x","reason":"not now"}}}]}"""
                    .formatted(status)))).isInstanceOf(IllegalStateException.class).hasMessageContaining("not now");
            assertThat(ReportBatch.refusedDocuments()).as("nothing skipped when the batch is retried").isEqualTo(before);
        }
    }
}
