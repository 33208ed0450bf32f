package io.affnet.query.report;

import io.affnet.api.report.ReportSchema;
import io.affnet.web.problem.ApiInstants;
import io.affnet.web.problem.ApiProblem;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns request parameters (REST query strings and GraphQL inputs alike) into validated queries.
 * Everything is checked against closed lists: an unknown metric, dimension, filter or parameter, a
 * range over the maximum span or a page over the cap is a 400, and values only ever become exact-term
 * filters, never query strings or scripts.
 */
public class ReportRequests {

    public static final List<Metric> DEFAULT_METRICS = List.of(Metric.CLICKS, Metric.CONVERSIONS, Metric.REVENUE,
            Metric.PAYOUT, Metric.PROFIT);
    private static final Set<String> REPORT_PARAMETERS = Set.of("metrics", "groupBy", "from", "to", "sort", "pageSize",
            "cursor", "format");
    private static final Set<String> LOG_PARAMETERS = Set.of("from", "to", "pageSize", "cursor", "format");
    private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{N} _.:@/+\\-]{1,200}");
    private static final int MAX_VALUES = 100;
    /** The range a report or log may ask about: anything else is a typo or a probe (and overflows epoch millis). */
    static final Instant EARLIEST = ApiInstants.EARLIEST;
    static final Instant LATEST = ApiInstants.LATEST;

    /** A log filter name and the document field it matches. */
    public static final Map<String, String> CONVERSION_LOG_FILTERS = logFilters(true);
    public static final Map<String, String> CLICK_LOG_FILTERS = logFilters(false);

    private final int maxSpanDays;
    private final int maxPageSize;
    private final int maxLogPageSize;

    public ReportRequests(int maxSpanDays, int maxPageSize, int maxLogPageSize) {
        this.maxSpanDays = maxSpanDays;
        this.maxPageSize = maxPageSize;
        this.maxLogPageSize = maxLogPageSize;
    }

    public int maxPageSize() {
        return maxPageSize;
    }

    /** A staff member's report (every field visible). */
    public ReportQuery report(Map<String, List<String>> params, ZoneId zone) {
        return report(params, zone, FieldGrants.Viewer.staff());
    }

    /** The report the caller of {@code scope} asks for; a field it may not see is a 403 (see {@link FieldGrants}). */
    public ReportQuery report(Map<String, List<String>> params, TenantScopedSearch.Scope scope) {
        return report(params, scope.zone(), scope.viewer());
    }

    private ReportQuery report(Map<String, List<String>> params, ZoneId zone, FieldGrants.Viewer viewer) {
        Map<Dimension, List<String>> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            if (name.startsWith("filter.")) {
                String dim = name.substring(7);
                Dimension d = Dimension.byName(dim).filter(x -> !x.isTime())
                        .orElseThrow(() -> ApiProblem.invalid(name, "Unknown filter '" + dim + "'; filter by one of "
                                + names(Dimension.values(), true) + "."));
                viewer.require(FieldGrants.Surface.DIMENSION, d.apiName(), name);
                filters.put(d, values(name, p.getValue()));
            } else if (!REPORT_PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "Unknown parameter '" + name + "'.");
            }
        }
        List<Metric> metrics = new ArrayList<>();
        for (String m : list(params, "metrics")) {
            Metric metric = Metric.byName(m).orElseThrow(() -> ApiProblem.invalid("metrics",
                    "Unknown metric '" + m + "'; use any of " + metricNames() + "."));
            viewer.require(FieldGrants.Surface.METRIC, metric.apiName(), "metrics");
            if (!metrics.contains(metric)) {
                metrics.add(metric);
            }
        }
        if (metrics.isEmpty()) {
            DEFAULT_METRICS.stream().filter(m -> viewer.sees(FieldGrants.Surface.METRIC, m.apiName())).forEach(metrics::add);
        }
        List<Dimension> groups = new ArrayList<>();
        for (String g : list(params, "groupBy")) {
            Dimension d = Dimension.byName(g).orElseThrow(() -> ApiProblem.invalid("groupBy",
                    "Unknown dimension '" + g + "'; group by any of " + names(Dimension.values(), false) + "."));
            viewer.require(FieldGrants.Surface.DIMENSION, d.apiName(), "groupBy");
            if (!groups.contains(d)) {
                groups.add(d);
            }
        }
        if (groups.stream().filter(Dimension::isTime).count() > 1) {
            throw ApiProblem.invalid("groupBy", "Group by at most one of hour, day, week, month.");
        }
        if (groups.size() > 6) {
            throw ApiProblem.invalid("groupBy", "Group by at most 6 dimensions.");
        }
        Instant from = time(params, "from", zone, true);
        Instant to = time(params, "to", zone, true);
        checkSpan(from, to);
        String sort = single(params, "sort");
        boolean descending = false;
        if (sort != null) {
            descending = sort.startsWith("-");
            String column = descending ? sort.substring(1) : sort;
            boolean known = groups.stream().anyMatch(g -> g.apiName().equals(column))
                    || metrics.stream().anyMatch(m -> m.apiName().equals(column));
            if (!known) {
                throw ApiProblem.invalid("sort", "Sort by a requested metric or group ('-' first for descending), not '" + column + "'.");
            }
            sort = column;
        }
        int pageSize = pageSize(params, 100, maxPageSize);
        int offset = 0;
        String cursor = single(params, "cursor");
        if (cursor != null) {
            try {
                String decoded = decode(cursor);
                if (!decoded.startsWith("o:")) {
                    throw new IllegalArgumentException("not a report cursor");
                }
                offset = Integer.parseInt(decoded.substring(2));
                if (offset < 0) {
                    throw new IllegalArgumentException("negative offset");
                }
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("cursor", "cursor must be the 'next' value of a previous page");
            }
        }
        return new ReportQuery(List.copyOf(metrics), List.copyOf(groups), filters, from, to, sort, descending, pageSize, offset);
    }

    /** A staff member's log search (every field visible). */
    public LogQuery log(Map<String, List<String>> params, ZoneId zone, boolean conversions) {
        return log(params, zone, FieldGrants.Viewer.staff(), conversions);
    }

    /** The log search the caller of {@code scope} asks for; a filter on a field it may not see is a 403. */
    public LogQuery log(Map<String, List<String>> params, TenantScopedSearch.Scope scope, boolean conversions) {
        return log(params, scope.zone(), scope.viewer(), conversions);
    }

    private LogQuery log(Map<String, List<String>> params, ZoneId zone, FieldGrants.Viewer viewer, boolean conversions) {
        Map<String, String> allowed = conversions ? CONVERSION_LOG_FILTERS : CLICK_LOG_FILTERS;
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            String name = p.getKey();
            if (name.startsWith("filter.")) {
                String key = name.substring(7);
                String field = allowed.get(key);
                if (field == null) {
                    throw ApiProblem.invalid(name, "Unknown filter '" + key + "'; filter by one of "
                            + String.join(", ", allowed.keySet()) + ".");
                }
                viewer.require(conversions ? FieldGrants.Surface.CONVERSION_LOG : FieldGrants.Surface.CLICK_LOG, key, name);
                List<String> values = values(name, p.getValue());
                if (key.equals("status")) {
                    values = values.stream().map(v -> v.toUpperCase(java.util.Locale.ROOT)).toList();
                }
                filters.put(field, values);
            } else if (!LOG_PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "Unknown parameter '" + name + "'.");
            }
        }
        Instant from = time(params, "from", zone, false);
        Instant to = time(params, "to", zone, false);
        if (from != null && to != null) {
            checkSpan(from, to);
        }
        int pageSize = pageSize(params, 50, maxLogPageSize);
        Long afterTime = null;
        String afterId = null;
        String cursor = single(params, "cursor");
        if (cursor != null) {
            try {
                String decoded = decode(cursor);
                int bar = decoded.indexOf('|');
                afterTime = Long.parseLong(decoded.substring(0, bar));
                afterId = decoded.substring(bar + 1);
                if (!VALUE.matcher(afterId).matches()) {
                    throw new IllegalArgumentException("not an id");
                }
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("cursor", "cursor must be the 'next' value of a previous page");
            }
        }
        return new LogQuery(filters, from, to, pageSize, afterTime, afterId);
    }

    public static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    }

    private void checkSpan(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiProblem.invalid("to", "'to' must be after 'from'.");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(maxSpanDays)) > 0) {
            throw ApiProblem.invalid("to", "The range may span at most " + maxSpanDays + " days.");
        }
    }

    private static int pageSize(Map<String, List<String>> params, int fallback, int max) {
        String raw = single(params, "pageSize");
        if (raw == null) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(raw);
            if (size >= 1 && size <= max) {
                return size;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.invalid("pageSize", "pageSize must be between 1 and " + max + ".");
    }

    /** ISO instants ({@code 2026-10-25T00:00:00Z}, with an offset) or dates, taken as midnight in the tenant's zone. */
    private static Instant time(Map<String, List<String>> params, String name, ZoneId zone, boolean required) {
        String raw = single(params, name);
        if (raw == null) {
            if (required) {
                throw ApiProblem.invalid(name, "'" + name + "' is required (an ISO date or date-time).");
            }
            return null;
        }
        Instant t;
        try {
            t = raw.length() == 10 ? LocalDate.parse(raw).atStartOfDay(zone).toInstant() : OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeException e) {
            throw ApiProblem.invalid(name, "'" + name + "' must be an ISO date (2026-10-25) or date-time with offset.");
        }
        if (t.isBefore(EARLIEST) || !t.isBefore(LATEST)) {
            throw ApiProblem.invalid(name, "'" + name + "' must lie between " + EARLIEST + " and " + LATEST + ".");
        }
        return t;
    }

    private static List<String> values(String name, List<String> raw) {
        List<String> values = new ArrayList<>();
        for (String r : raw) {
            for (String v : r.split(",")) {
                String value = v.trim();
                if (value.isEmpty()) {
                    continue;
                }
                if (!VALUE.matcher(value).matches()) {
                    throw ApiProblem.invalid(name, "Filter values are letters, digits and _ . : @ / + - (at most 200).");
                }
                values.add(value);
            }
        }
        if (values.isEmpty() || values.size() > MAX_VALUES) {
            throw ApiProblem.invalid(name, "Give between 1 and " + MAX_VALUES + " values.");
        }
        return values;
    }

    private static List<String> list(Map<String, List<String>> params, String name) {
        List<String> out = new ArrayList<>();
        for (String raw : params.getOrDefault(name, List.of())) {
            for (String v : raw.split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.invalid(name, "Give '" + name + "' once.");
        }
        return values.get(0).trim();
    }

    private static String names(Dimension[] dims, boolean filterable) {
        List<String> names = new ArrayList<>();
        for (Dimension d : dims) {
            if (!filterable || !d.isTime()) {
                names.add(d.apiName());
            }
        }
        return String.join(", ", names);
    }

    private static String metricNames() {
        List<String> names = new ArrayList<>();
        for (Metric m : Metric.values()) {
            names.add(m.apiName());
        }
        return String.join(", ", names);
    }

    private static Map<String, String> logFilters(boolean conversions) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("click_id", ReportSchema.CLICK_ID);
        if (conversions) {
            m.put("conversion_id", ReportSchema.CONVERSION_ID);
            m.put("transaction_id", ReportSchema.TRANSACTION_ID);
            m.put("status", ReportSchema.STATUS);
            m.put("rejection_reason", ReportSchema.REJECTION_REASON);
            m.put("kind", ReportSchema.KIND);
            m.put("goal", ReportSchema.GOAL);
        } else {
            m.put("outcome", ReportSchema.OUTCOME);
            m.put("fallback_reason", ReportSchema.FALLBACK_REASON);
        }
        for (Dimension d : Dimension.values()) {
            if (!d.isTime() && d != Dimension.GOAL) {
                m.put(d.apiName(), d.field());
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
