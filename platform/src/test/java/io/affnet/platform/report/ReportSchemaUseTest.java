package io.affnet.platform.report;

import io.affnet.api.report.ReportSchema;
import io.affnet.query.report.Dimension;
import io.affnet.query.report.Metric;
import io.affnet.query.report.ReportService;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report writer (projections' {@code report} package) and its readers (query-side's {@code report}
 * package) name report fields and views only through {@link ReportSchema}, so they cannot drift apart.
 */
class ReportSchemaUseTest {

    static final List<Path> WRITER_AND_READERS = List.of(
            Path.of("..", "projections", "src", "main", "java", "io", "affnet", "projections", "report"),
            Path.of("..", "query-side", "src", "main", "java", "io", "affnet", "query", "report"));
    static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * A report field's name as a string literal there is a copy of the schema. Names that are also a
     * word of the public report API (a metric, a dimension, a log column: {@code time}, {@code status},
     * {@code sub1}, ...) cannot be told apart from it and are left out.
     */
    @Test
    void writerAndReadersNameReportFieldsOnlyThroughTheSchema() throws IOException {
        Set<String> forbidden = new HashSet<>();
        ReportSchema.DOCUMENT_FIELDS.forEach(f -> forbidden.add(f.name()));
        ReportSchema.ROLLUP_FIELDS.forEach(f -> forbidden.add(f.name()));
        forbidden.add(ReportSchema.ROLLUPS);
        forbidden.add(ReportSchema.META_COMPLETE);
        forbidden.removeAll(apiWords());
        assertThat(forbidden).contains(ReportSchema.TENANT_ID, ReportSchema.REVENUE_CONVERTED_MINOR, ReportSchema.UNIQUE);

        List<String> copies = new ArrayList<>();
        int files = 0;
        for (Path dir : WRITER_AND_READERS) {
            try (Stream<Path> sources = Files.walk(dir)) {
                for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = lines.get(i).strip();
                        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                            continue;
                        }
                        Matcher m = LITERAL.matcher(code);
                        while (m.find()) {
                            if (forbidden.contains(m.group(1))) {
                                copies.add(file.getFileName() + ":" + (i + 1) + " \"" + m.group(1) + "\"");
                            }
                        }
                    }
                }
            }
        }
        assertThat(files).as("source files read").isGreaterThan(10);
        assertThat(copies).as("report field names outside ReportSchema").isEmpty();
    }

    private static Set<String> apiWords() {
        Set<String> words = new HashSet<>();
        Arrays.stream(Dimension.values()).forEach(d -> words.add(d.apiName()));
        Arrays.stream(Metric.values()).forEach(m -> words.add(m.apiName()));
        words.addAll(ReportService.CONVERSION_COLUMNS);
        words.addAll(ReportService.CLICK_COLUMNS);
        return words;
    }
}
