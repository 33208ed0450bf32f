package io.affnet.query.report;

import java.util.List;

/**
 * A report as a table: the column names, the rows (values in column order: strings for dimensions,
 * numbers for counts and rates, decimal strings for money), the tenant's currency and time zone used,
 * and the cursor of the next page (null on the last).
 */
public record ReportTable(List<String> columns, List<List<Object>> rows, String currency, String timezone, String next) {
}
