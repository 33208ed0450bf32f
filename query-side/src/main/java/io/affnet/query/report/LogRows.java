package io.affnet.query.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Flattens a log item into cells: a status history becomes {@code PENDING→APPROVED@time; …}. */
final class LogRows {

    private LogRows() {
    }

    static List<Object> row(Map<String, Object> item, List<String> columns) {
        List<Object> row = new ArrayList<>(columns.size());
        for (String c : columns) {
            Object value = item.get(c);
            if (value instanceof List<?> history) {
                List<String> steps = new ArrayList<>();
                for (Object h : history) {
                    if (h instanceof Map<?, ?> m) {
                        steps.add((m.get("from") == null ? "" : m.get("from") + "→") + m.get("to") + "@" + m.get("at"));
                    }
                }
                value = String.join("; ", steps);
            }
            row.add(value);
        }
        return row;
    }
}
