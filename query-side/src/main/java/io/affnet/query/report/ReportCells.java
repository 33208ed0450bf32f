package io.affnet.query.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A report table's cells typed for GraphQL ({@code ReportTable.cells}): counts and rates as numbers, money as a
 * decimal string with its currency, everything else as text. The currency of a money cell is in its column's
 * name in a report ({@code revenue_EUR}, {@code payout_converted_EUR}) and in a sibling column in a log
 * ({@code revenue} and {@code payout} in {@code currency}, {@code sale} in {@code sale_currency}...).
 */
public final class ReportCells {

    /** One typed cell: exactly one of text, number and amount is set, or none for an empty cell. */
    public record Cell(String column, String text, Double number, String amount, String currency) {
    }

    private static final Pattern REPORT_MONEY = Pattern.compile("(revenue|payout|profit|epc)_(?:converted_)?([A-Z]{3})");
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
        Matcher m = REPORT_MONEY.matcher(column);
        if (m.matches()) {
            return new Cell(column, null, null, text, m.group(2));
        }
        String currencyColumn = LOG_MONEY.get(column);
        if (currencyColumn != null) {
            int at = columns.indexOf(currencyColumn);
            Object currency = at >= 0 && at < row.size() ? row.get(at) : null;
            return new Cell(column, null, null, text, currency == null ? null : String.valueOf(currency));
        }
        return new Cell(column, text, null, null, null);
    }
}
