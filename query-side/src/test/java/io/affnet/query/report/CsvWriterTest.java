package io.affnet.query.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CSV exports: RFC 4180 quoting, and text a spreadsheet would run as a formula made inert. */
class CsvWriterTest {

    private static String csv(List<?>... rows) throws IOException {
        StringWriter out = new StringWriter();
        CsvWriter writer = new CsvWriter(out);
        for (List<?> row : rows) {
            writer.row(row);
        }
        writer.flush();
        return out.toString();
    }

    @Test
    void quotesCellsWithSeparatorsQuotesOrLineBreaksAndEndsRowsWithCrLf() throws IOException {
        assertThat(csv(List.of("time", "sub1"), Arrays.asList("2026-11-01T10:00:00+01:00", null),
                List.of("a,b", "say \"hi\""), List.of("two\nlines", "x\ry")))
                .isEqualTo("time,sub1\r\n2026-11-01T10:00:00+01:00,\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",\"x\ry\"\r\n");
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaGetsALeadingQuote() {
        assertThat(CsvWriter.cell("=HYPERLINK(\"http://evil.example\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
        assertThat(CsvWriter.cell("+cmd")).isEqualTo("'+cmd");
        assertThat(CsvWriter.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvWriter.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvWriter.cell("\tx")).isEqualTo("'\tx");
    }

    @Test
    void numbersStayNumbersEvenWithASign() {
        assertThat(CsvWriter.cell(-12)).isEqualTo("-12");
        assertThat(CsvWriter.cell(new BigDecimal("-2.50"))).isEqualTo("-2.50");
        assertThat(CsvWriter.cell("-2.50")).as("a decimal text, such as a refunded amount").isEqualTo("-2.50");
        assertThat(CsvWriter.cell("+1")).isEqualTo("+1");
        assertThat(CsvWriter.cell("")).isEmpty();
    }
}
