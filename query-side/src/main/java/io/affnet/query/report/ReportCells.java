package io.affnet.query.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report table's cells typed for GraphQL ({@code ReportTable.cells}): counts and rates as numbers, money as a
 * decimal string with its currency, everything else as text. Which report columns are money is {@link Metric}'s
 * to say; the currency of a money cell is in its column's name in a report ({@code revenue_EUR}, {@code payout_converted_EUR}) and in a sibling column in a log
 * ({@code revenue} and {@code payout} in {@code currency}, {@code sale} in {@code sale_currency}...).
 */
public final class ReportCells {

    /** One typed cell: exactly one of text, number and amount is set, or none for an empty cell. */
    public record Cell(String column, String text, Double number, String amount, String currency) {
    }

    /** A log's money columns and the column that holds each one's currency. */
    private static final Map<String, String> LOG_MONEY = Map.of("revenue", "currency", "payout", "currency",
            "sale", "sale_currency", "original_sale", "original_currency",
            "revenue_converted", "converted_currency", "payout_converted", "converted_currency");

    private ReportCells() {
    }

    public static List<List<Cell>> of(ReportTable table) {
        List<String> columns = table.columns();
        List<List<Cell>> out = new ArrayList<>(table.rows().size());
        for (List<Object> row : table.rows()) {
            List<Cell> cells = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                cells.add(cell(columns, row, i));
            }
            out.add(cells);
        }
        return out;
    }

    static Cell cell(List<String> columns, List<Object> row, int index) {
        String column = columns.get(index);
        Object value = index < row.size() ? row.get(index) : null;
        if (value == null) {
            return new Cell(column, null, null, null, null);
        }
        if (value instanceof Number n) {
            return new Cell(column, null, n.doubleValue(), null, null);
        }
        String text = String.valueOf(value);
        String currencyColumn = LOG_MONEY.get(column);
        if (currencyColumn != null) {
            int at = columns.indexOf(currencyColumn);
            Object currency = at >= 0 && at < row.size() ? row.get(at) : null;
            return new Cell(column, null, null, text, currency == null ? null : String.valueOf(currency));
        }
        if (isReportMoney(column)) {
            // A money metric's columns end in their currency (ReportService.columns): revenue_USD, revenue_converted_EUR.
            return new Cell(column, null, null, text, column.substring(column.length() - 3));
        }
        return new Cell(column, text, null, null, null);
    }

    private static boolean isReportMoney(String column) {
        for (Metric m : Metric.values()) {
            if (m.isMoney() && column.startsWith(m.apiName() + "_")) {
                return true;
            }
        }
        return false;
    }
}
