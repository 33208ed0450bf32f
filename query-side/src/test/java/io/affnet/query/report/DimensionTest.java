package io.affnet.query.report;

import io.affnet.api.report.ReportSchema;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every report dimension reads a field the report documents have; the rollup dimensions one the rollups have too. */
class DimensionTest {

    @Test
    void everyDimensionIsAFieldOfTheDocumentsAndTheRollupDimensionsOfTheRollupsToo() {
        Set<String> documents = new HashSet<>(ReportSchema.DOCUMENT_FIELDS.stream().map(ReportSchema.Field::name).toList());
        Set<String> rollups = new HashSet<>(ReportSchema.ROLLUP_FIELDS.stream().map(ReportSchema.Field::name).toList());
        for (Dimension d : Dimension.values()) {
            assertThat(documents).as(d.apiName()).contains(d.field());
        }
        for (Dimension d : List.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK, Dimension.MONTH, Dimension.OFFER,
                Dimension.ADVERTISER, Dimension.AFFILIATE)) {
            assertThat(rollups).as(d.apiName()).contains(d.field());
        }
    }
}
