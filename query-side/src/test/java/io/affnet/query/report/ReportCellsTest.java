package io.affnet.query.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportCellsTest {

    @Test
    void reportCellsAreNumbersMoneyWithTheCurrencyOfTheirColumnOrText() {
        ReportTable table = new ReportTable(List.of("day", "clicks", "cr", "revenue_USD", "payout_converted_EUR", "epc_EUR"),
                List.of(Arrays.asList("2026-10-24", 4L, 0.75, "5.00", "10.68", "1.7500")), "EUR", "Europe/Berlin", null);
        List<ReportCells.Cell> row = ReportCells.of(table).get(0);
        assertThat(row.get(0)).isEqualTo(new ReportCells.Cell("day", "2026-10-24", null, null, null));
        assertThat(row.get(1)).isEqualTo(new ReportCells.Cell("clicks", null, 4.0, null, null));
        assertThat(row.get(2)).isEqualTo(new ReportCells.Cell("cr", null, 0.75, null, null));
        assertThat(row.get(3)).isEqualTo(new ReportCells.Cell("revenue_USD", null, null, "5.00", "USD"));
        assertThat(row.get(4)).isEqualTo(new ReportCells.Cell("payout_converted_EUR", null, null, "10.68", "EUR"));
        assertThat(row.get(5)).isEqualTo(new ReportCells.Cell("epc_EUR", null, null, "1.7500", "EUR"));
    }

    @Test
    void logMoneyTakesItsCurrencyFromItsSiblingColumnAndEmptyCellsStayEmpty() {
        ReportTable table = new ReportTable(List.of("status", "currency", "revenue", "sale", "sale_currency", "payout_converted",
                "converted_currency", "sub1"),
                List.of(Arrays.asList("APPROVED", "JPY", "300", "12.50", "USD", "2.10", "EUR", null)), "EUR", "UTC", null);
        List<ReportCells.Cell> row = ReportCells.of(table).get(0);
        assertThat(row.get(0).text()).isEqualTo("APPROVED");
        assertThat(row.get(2)).isEqualTo(new ReportCells.Cell("revenue", null, null, "300", "JPY"));
        assertThat(row.get(3)).isEqualTo(new ReportCells.Cell("sale", null, null, "12.50", "USD"));
        assertThat(row.get(5)).isEqualTo(new ReportCells.Cell("payout_converted", null, null, "2.10", "EUR"));
        assertThat(row.get(7)).isEqualTo(new ReportCells.Cell("sub1", null, null, null, null));
    }

    @Test
    void aShortRowIsReadAsEmptyCellsNotAnError() {
        ReportTable table = new ReportTable(List.of("offer", "clicks"), List.of(Arrays.asList("off_1")), "EUR", "UTC", null);
        assertThat(ReportCells.of(table).get(0).get(1)).isEqualTo(new ReportCells.Cell("clicks", null, null, null, null));
    }
}
