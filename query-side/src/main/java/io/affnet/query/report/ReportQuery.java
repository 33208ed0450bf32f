package io.affnet.query.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One report request, already validated: metrics, groups, filters (dimension → accepted values), the
 * half-open time range [from, to), the sort column (descending when {@code descending}), the page.
 */
public record ReportQuery(List<Metric> metrics, List<Dimension> groupBy, Map<Dimension, List<String>> filters,
                          Instant from, Instant to, String sort, boolean descending, int pageSize, int offset) {
}
