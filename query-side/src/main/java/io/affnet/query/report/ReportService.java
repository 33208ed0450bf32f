package io.affnet.query.report;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.affnet.web.problem.ApiProblem;

import io.affnet.api.report.ReportIndices;
import io.affnet.api.report.ReportSchema;
import io.affnet.api.common.MoneyJson;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Answers reports and log searches from the report views, for REST, GraphQL and CSV alike. A report is
 * a search over the click and conversion aliases: a composite aggregation over the groups (time
 * buckets in the tenant's zone, so a DST day has 23 or 25 hours), with filter/terms/sum
 * sub-aggregations for the metrics. The composite is paged through in full (up to a cap of groups),
 * then sorted and cut into pages here, so any metric can be the sort column. Reports by time, offer,
 * advertiser and affiliate count clicks from the click rollups where they can ({@link #usesRollups}),
 * which is what keeps long ranges fast: an hour of clicks is one document per offer and affiliate.
 */
public class ReportService {

    /** What one row (or the whole report) adds up to. */
    private static final class Totals {
        long clicks;
        long unique;
        long conversions;
        final Map<String, Long> byStatus = new HashMap<>();
        long rejectedReports;
        final Map<String, long[]> money = new TreeMap<>();
        long convertedRevenue;
        long convertedPayout;

        void add(Totals o) {
            clicks = Math.addExact(clicks, o.clicks);
            unique = Math.addExact(unique, o.unique);
            conversions = Math.addExact(conversions, o.conversions);
            o.byStatus.forEach((k, v) -> byStatus.merge(k, v, Math::addExact));
            rejectedReports = Math.addExact(rejectedReports, o.rejectedReports);
            o.money.forEach((c, a) -> money.merge(c, a.clone(), (x, y) -> new long[]{Math.addExact(x[0], y[0]), Math.addExact(x[1], y[1])}));
            convertedRevenue = Math.addExact(convertedRevenue, o.convertedRevenue);
            convertedPayout = Math.addExact(convertedPayout, o.convertedPayout);
        }
    }

    private record Row(List<Object> sortKeys, List<String> keys, Totals totals) {
    }

    private static final int COMPOSITE_PAGE = 1000;

    /** Click counts of whole UTC hours may come from rollups when a report needs no other click dimension. */
    private static final Set<Dimension> ROLLUP_GROUPS = EnumSet.of(Dimension.HOUR, Dimension.DAY, Dimension.WEEK,
            Dimension.MONTH, Dimension.OFFER, Dimension.ADVERTISER, Dimension.AFFILIATE);
    private static final Set<Dimension> ROLLUP_FILTERS = EnumSet.of(Dimension.OFFER, Dimension.ADVERTISER, Dimension.AFFILIATE);
    private static final long HOUR = 3_600_000L;

    private final TenantScopedSearch search;
    private final ReportIndices views;
    private final int maxGroups;
    private final boolean rollups;

    /** {@code rollups}: whether click counts may come from the click rollups (see {@link #usesRollups}). */
    public ReportService(TenantScopedSearch search, ReportIndices views, int maxGroups, boolean rollups) {
        this.search = search;
        this.views = views;
        this.maxGroups = maxGroups;
        this.rollups = rollups;
    }

    /**
     * Whether the report takes its click counts from the click rollups: for the whole UTC hours in its
     * range, with the raw click documents for the partial hours at its edges. That gives the same figures
     * when every group and filter is a rollup dimension (time, offer, advertiser, affiliate) and every
     * hour of the range falls into one time bucket, i.e. the zone's offset is a whole number of hours and
     * changes only on the hour throughout the range; and the rollups must count every click (not yet
     * after an upgrade that added them, until a rebuild). Conversions always come from their own documents.
     */
    public boolean usesRollups(ReportQuery query, ZoneId zone) {
        return rollups && ROLLUP_GROUPS.containsAll(query.groupBy()) && ROLLUP_FILTERS.containsAll(query.filters().keySet())
                && wholeHours(zone, query.from(), query.to()) && ceilHour(query.from()) < floorHour(query.to())
                && views.rollupsComplete();
    }

    static boolean wholeHours(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
             t = rules.nextTransition(t.getInstant())) {
            if (t.getOffsetAfter().getTotalSeconds() % 3600 != 0 || t.getInstant().getEpochSecond() % 3600 != 0) {
                return false;
            }
        }
        return true;
    }

    private static long ceilHour(Instant t) {
        return Math.floorDiv(t.toEpochMilli() + HOUR - 1, HOUR) * HOUR;
    }

    private static long floorHour(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), HOUR) * HOUR;
    }

    /** The page the query asks for; {@code all} ignores paging (CSV), up to {@code rowLimit} rows. */
    public ReportTable report(TenantScopedSearch.Scope scope, ReportQuery query, boolean all, int rowLimit) {
        // The parser refuses these already; checked again here because every report, however built, passes here.
        query.metrics().forEach(m -> scope.viewer().require(FieldGrants.Surface.METRIC, m.apiName(), "metrics"));
        query.groupBy().forEach(d -> scope.viewer().require(FieldGrants.Surface.DIMENSION, d.apiName(), "groupBy"));
        query.filters().keySet().forEach(d -> scope.viewer().require(FieldGrants.Surface.DIMENSION, d.apiName(), "filter." + d.apiName()));
        try {
            return table(scope, query, all, rowLimit);
        } catch (ArithmeticException e) {
            throw ApiProblem.invalid("from", "The report's totals exceed what a 64-bit amount holds; narrow the range or the filters.");
        }
    }

    private ReportTable table(TenantScopedSearch.Scope scope, ReportQuery query, boolean all, int rowLimit) {
        List<Row> rows;
        if (usesRollups(query, scope.zone())) {
            rows = rowsWithRollups(scope, query);
        } else {
            Map<List<Object>, Row> raw = new LinkedHashMap<>();
            collect(scope, query, List.of(views.clicksAlias(), views.conversionsAlias()), filter(query, range(query.from(), query.to())),
                    metricAggregations(query), ReportService::totals, raw);
            rows = new ArrayList<>(raw.values());
        }
        Map<String, Integer> currencies = new TreeMap<>();
        for (Row r : rows) {
            r.totals().money.keySet().forEach(c -> currencies.put(c, 0));
        }
        List<String> columns = columns(query, currencies.keySet(), scope.currency());
        if (query.sort() != null) {
            int index = columns.indexOf(sortColumn(query, scope.currency()));
            Comparator<Row> comparator = Comparator.comparing(r -> sortable(sortValue(query, r, index, currencies.keySet(), scope)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            rows.sort(query.descending() ? comparator.reversed() : comparator);
        }
        if (all && rows.size() > rowLimit) {
            throw ApiProblem.invalid("format", "The export has " + rows.size() + " rows, more than the limit of "
                    + rowLimit + "; narrow the report.");
        }
        int from = all ? 0 : Math.min(query.offset(), rows.size());
        int to = all ? rows.size() : Math.min(rows.size(), from + query.pageSize());
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows.subList(from, to)) {
            out.add(values(query, r, currencies.keySet(), scope.currency()));
        }
        String next = !all && to < rows.size() ? ReportRequests.encode("o:" + to) : null;
        return new ReportTable(columns, out, scope.currency(), scope.zone().getId(), next);
    }

    /**
     * Conversions from their documents over the whole range, clicks from the rollups of its whole hours
     * and from the click documents of the partial hours at its edges; rows with the same groups are added
     * up and ordered as one composite aggregation over everything would order them.
     */
    private List<Row> rowsWithRollups(TenantScopedSearch.Scope scope, ReportQuery query) {
        long firstHour = ceilHour(query.from());
        long endHour = floorHour(query.to());
        Map<List<Object>, Row> rows = new HashMap<>();
        Map<String, Aggregation> conversions = metricAggregations(query);
        conversions.remove("clicks");
        collect(scope, query, List.of(views.conversionsAlias()), filter(query, range(query.from(), query.to())),
                conversions, ReportService::totals, rows);
        collect(scope, query, List.of(views.rollupsAlias()), filter(query, range(Instant.ofEpochMilli(firstHour), Instant.ofEpochMilli(endHour))),
                rollupAggregations(), ReportService::rollupTotals, rows);
        List<Query> edges = new ArrayList<>();
        if (query.from().toEpochMilli() < firstHour) {
            edges.add(range(query.from(), Instant.ofEpochMilli(firstHour)));
        }
        if (endHour < query.to().toEpochMilli()) {
            edges.add(range(Instant.ofEpochMilli(endHour), query.to()));
        }
        if (!edges.isEmpty()) {
            Map<String, Aggregation> clicks = new LinkedHashMap<>();
            clicks.put("clicks", metricAggregations(query).get("clicks"));
            Query edgeTime = Query.of(q -> q.bool(b -> b.should(edges).minimumShouldMatch("1")));
            collect(scope, query, List.of(views.clicksAlias()), filter(query, edgeTime), clicks, ReportService::totals, rows);
        }
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(ReportService::compositeOrder);
        return out;
    }

    /** Adds the rows of one aggregation over {@code aliases} to {@code rows} (merging rows of equal groups). */
    private void collect(TenantScopedSearch.Scope scope, ReportQuery query, List<String> aliases, Query filter,
                         Map<String, Aggregation> metrics, Function<Map<String, Aggregate>, Totals> totals,
                         Map<List<Object>, Row> rows) {
        if (query.groupBy().isEmpty()) {
            SearchResponse<Void> response = search.search(scope, aliases, filter, r -> r.size(0).aggregations(metrics), Void.class);
            merge(rows, new Row(List.of(), List.of(), totals.apply(response.aggregations())));
            return;
        }
        List<Map<String, CompositeAggregationSource>> sources = new ArrayList<>();
        for (Dimension d : query.groupBy()) {
            sources.add(Map.of(d.apiName(), source(d, scope.zone())));
        }
        Map<String, FieldValue> after = null;
        do {
            Map<String, FieldValue> afterKey = after;
            SearchResponse<Void> response = search.search(scope, aliases, filter, r -> r.size(0)
                    .aggregations("rows", a -> a.composite(c -> {
                        c.size(COMPOSITE_PAGE).sources(sources);
                        if (afterKey != null) {
                            c.after(afterKey);
                        }
                        return c;
                    }).aggregations(metrics)), Void.class);
            CompositeAggregate composite = response.aggregations().get("rows").composite();
            for (CompositeBucket bucket : composite.buckets().array()) {
                merge(rows, row(query, scope.zone(), bucket, totals));
            }
            if (rows.size() > maxGroups) {
                throw ApiProblem.invalid("groupBy", "The report has more than " + maxGroups
                        + " rows; narrow the range, the groups or the filters.");
            }
            // A page that is not full is the last one: asking for the next would scan every document again.
            after = composite.buckets().array().size() < COMPOSITE_PAGE || composite.afterKey() == null
                    || composite.afterKey().isEmpty() ? null : composite.afterKey();
        } while (after != null);
    }

    private static void merge(Map<List<Object>, Row> rows, Row row) {
        Row known = rows.get(row.sortKeys());
        if (known == null) {
            rows.put(row.sortKeys(), row);
        } else {
            known.totals().add(row.totals());
        }
    }

    /** Composite order: group by group ascending, a missing value first, strings by their UTF-8 bytes (as Lucene). */
    private static int compositeOrder(Row a, Row b) {
        for (int i = 0; i < a.sortKeys().size(); i++) {
            Object x = a.sortKeys().get(i);
            Object y = b.sortKeys().get(i);
            int c;
            if (x == null || y == null) {
                c = x == null ? (y == null ? 0 : -1) : 1;
            } else if (x instanceof Long p && y instanceof Long q) {
                c = Long.compare(p, q);
            } else {
                c = Arrays.compareUnsigned(x.toString().getBytes(StandardCharsets.UTF_8), y.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String sortColumn(ReportQuery query, String currency) {
        Metric metric = Metric.byName(query.sort()).orElse(null);
        return metric != null && metric.isMoney() ? metric.apiName() + "_converted_" + currency : query.sort();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable sortable(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof String s) {
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                return s;
            }
        }
        return (Comparable) value;
    }

    private Object sortValue(ReportQuery query, Row row, int index, java.util.Set<String> currencies, TenantScopedSearch.Scope scope) {
        int groupIndex = -1;
        for (int i = 0; i < query.groupBy().size(); i++) {
            if (query.groupBy().get(i).apiName().equals(query.sort())) {
                groupIndex = i;
            }
        }
        if (groupIndex >= 0) {
            return row.sortKeys().get(groupIndex);
        }
        return values(query, row, currencies, scope.currency()).get(index);
    }

    private static CompositeAggregationSource source(Dimension d, ZoneId zone) {
        if (d.isTime()) {
            return CompositeAggregationSource.of(s -> s.dateHistogram(h -> h.field(d.field()).calendarInterval(t -> t.time(d.interval().jsonValue()))
                    .timeZone(zone.getId())));
        }
        return CompositeAggregationSource.of(s -> s.terms(t -> t.field(d.field()).missingBucket(true)));
    }

    /** The report's filters and {@code time}; the tenant and the caller's scope are added by {@link TenantScopedSearch}. */
    private static Query filter(ReportQuery query, Query time) {
        List<Query> filters = new ArrayList<>();
        filters.add(time);
        query.filters().forEach((d, values) -> filters.add(terms(d.field(), values)));
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    /** {@code time} in [from, to). */
    private static Query range(Instant from, Instant to) {
        return Query.of(q -> q.range(r -> r.date(n -> n.field(ReportSchema.TIME)
                .gte(String.valueOf(from.toEpochMilli())).lt(String.valueOf(to.toEpochMilli())))));
    }

    static Query terms(String field, List<String> values) {
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(values.stream().map(FieldValue::of).toList()))));
    }

    private static Map<String, Aggregation> metricAggregations(ReportQuery query) {
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        boolean unique = query.metrics().contains(Metric.UNIQUE_CLICKS);
        aggs.put("clicks", Aggregation.of(a -> {
            var f = a.filter(TenantScopedSearch.term(ReportSchema.KIND, ReportSchema.KIND_CLICK));
            if (unique) {
                // An unknown flag counts as unique (documents written before the flag have none).
                f.aggregations("uniqueFlag", x -> x.filter(q -> q.bool(b -> b.mustNot(TenantScopedSearch.term(ReportSchema.UNIQUE, "false")))));
            }
            return f;
        }));
        aggs.put("conv", Aggregation.of(a -> a.filter(TenantScopedSearch.term(ReportSchema.KIND, ReportSchema.KIND_CONVERSION))
                .aggregations("status", x -> x.terms(t -> t.field(ReportSchema.STATUS).size(10)))));
        aggs.put("rej", Aggregation.of(a -> a.filter(TenantScopedSearch.term(ReportSchema.KIND, ReportSchema.KIND_REJECTION))));
        Query owed = Query.of(q -> q.bool(b -> b.filter(TenantScopedSearch.term(ReportSchema.KIND, ReportSchema.KIND_CONVERSION))
                .filter(terms(ReportSchema.STATUS, List.of("PENDING", "APPROVED")))));
        aggs.put("money", Aggregation.of(a -> a.filter(owed)
                .aggregations("cur", x -> x.terms(t -> t.field(ReportSchema.CURRENCY).size(100))
                        .aggregations("rev", s -> s.sum(m -> m.field(ReportSchema.REVENUE_MINOR)))
                        .aggregations("pay", s -> s.sum(m -> m.field(ReportSchema.PAYOUT_MINOR))))
                .aggregations("crev", s -> s.sum(m -> m.field(ReportSchema.REVENUE_CONVERTED_MINOR)))
                .aggregations("cpay", s -> s.sum(m -> m.field(ReportSchema.PAYOUT_CONVERTED_MINOR)))));
        return aggs;
    }

    private static Map<String, Aggregation> rollupAggregations() {
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        aggs.put("rollupClicks", Aggregation.of(a -> a.sum(s -> s.field(ReportSchema.ROLLUP_CLICKS))));
        aggs.put("rollupUnique", Aggregation.of(a -> a.sum(s -> s.field(ReportSchema.ROLLUP_UNIQUE_CLICKS))));
        return aggs;
    }

    private static Totals rollupTotals(Map<String, Aggregate> aggs) {
        Totals t = new Totals();
        t.clicks = exact(aggs.get("rollupClicks").sum().value());
        t.unique = exact(aggs.get("rollupUnique").sum().value());
        return t;
    }

    /** Past 2^53 a sum from Elasticsearch (a double) is no longer exact: refuse rather than show a rounded figure. */
    static long exact(double sum) {
        if (Math.abs(sum) >= 0x1p53) {
            throw ApiProblem.invalid("from", "The report's totals are too large to add up exactly; narrow the range or the filters.");
        }
        return (long) sum;
    }

    private static Row row(ReportQuery query, ZoneId zone, CompositeBucket bucket, Function<Map<String, Aggregate>, Totals> totals) {
        List<Object> sortKeys = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Dimension d : query.groupBy()) {
            FieldValue value = bucket.key().get(d.apiName());
            if (value == null || value.isNull()) {
                sortKeys.add(null);
                keys.add(null);
            } else if (d.isTime()) {
                long millis = value.isLong() ? value.longValue() : (long) value.doubleValue();
                sortKeys.add(millis);
                keys.add(formatBucket(d, Instant.ofEpochMilli(millis), zone));
            } else {
                String s = value.isString() ? value.stringValue() : String.valueOf(value._get());
                sortKeys.add(s);
                keys.add(s);
            }
        }
        return new Row(sortKeys, keys, totals.apply(bucket.aggregations()));
    }

    static String formatBucket(Dimension d, Instant start, ZoneId zone) {
        ZonedDateTime t = start.atZone(zone);
        return switch (d) {
            case HOUR -> t.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case DAY, WEEK -> t.toLocalDate().toString();
            case MONTH -> t.toLocalDate().toString().substring(0, 7);
            default -> throw new IllegalArgumentException(d.name());
        };
    }

    /** The totals of one bucket; an aggregation the search did not ask for counts nothing. */
    private static Totals totals(Map<String, Aggregate> aggs) {
        Totals t = new Totals();
        if (aggs.containsKey("clicks")) {
            var clicks = aggs.get("clicks").filter();
            t.clicks = clicks.docCount();
            if (clicks.aggregations().containsKey("uniqueFlag")) {
                t.unique = clicks.aggregations().get("uniqueFlag").filter().docCount();
            }
        }
        if (!aggs.containsKey("conv")) {
            return t;
        }
        var conv = aggs.get("conv").filter();
        t.conversions = conv.docCount();
        for (StringTermsBucket b : conv.aggregations().get("status").sterms().buckets().array()) {
            t.byStatus.put(b.key().stringValue(), b.docCount());
        }
        t.rejectedReports = aggs.get("rej").filter().docCount();
        var money = aggs.get("money").filter();
        for (StringTermsBucket b : money.aggregations().get("cur").sterms().buckets().array()) {
            t.money.put(b.key().stringValue(), new long[]{
                    exact(b.aggregations().get("rev").sum().value()),
                    exact(b.aggregations().get("pay").sum().value())});
        }
        t.convertedRevenue = exact(money.aggregations().get("crev").sum().value());
        t.convertedPayout = exact(money.aggregations().get("cpay").sum().value());
        return t;
    }

    private static List<String> columns(ReportQuery query, java.util.Set<String> currencies, String tenantCurrency) {
        List<String> columns = new ArrayList<>();
        query.groupBy().forEach(d -> columns.add(d.apiName()));
        for (Metric m : query.metrics()) {
            if (m.isMoney()) {
                currencies.forEach(c -> columns.add(m.apiName() + "_" + c));
                columns.add(m.apiName() + "_converted_" + tenantCurrency);
            } else {
                columns.add(m.apiName());
            }
        }
        return columns;
    }

    private static List<Object> values(ReportQuery query, Row row, java.util.Set<String> currencies, String tenantCurrency) {
        List<Object> values = new ArrayList<>(row.keys());
        Totals t = row.totals();
        for (Metric m : query.metrics()) {
            switch (m) {
                case CLICKS -> values.add(t.clicks);
                case UNIQUE_CLICKS -> values.add(t.unique);
                case CONVERSIONS -> values.add(t.conversions);
                case CONVERSIONS_PENDING -> values.add(t.byStatus.getOrDefault("PENDING", 0L));
                case CONVERSIONS_APPROVED -> values.add(t.byStatus.getOrDefault("APPROVED", 0L));
                case CONVERSIONS_REJECTED -> values.add(t.byStatus.getOrDefault("REJECTED", 0L));
                case CONVERSIONS_REVERSED -> values.add(t.byStatus.getOrDefault("REVERSED", 0L));
                case REJECTED_REPORTS -> values.add(t.rejectedReports);
                case CR -> values.add(t.clicks == 0 ? null
                        : BigDecimal.valueOf(t.conversions).divide(BigDecimal.valueOf(t.clicks), 4, RoundingMode.HALF_EVEN).doubleValue());
                default -> {
                    Function<long[], Long> pick = switch (m) {
                        case REVENUE -> a -> a[0];
                        case PAYOUT, EPC -> a -> a[1];
                        default -> a -> Math.subtractExact(a[0], a[1]);
                    };
                    for (String c : currencies) {
                        long[] amounts = t.money.getOrDefault(c, new long[2]);
                        values.add(money(m, pick.apply(amounts), c, t.clicks));
                    }
                    values.add(money(m, pick.apply(new long[]{t.convertedRevenue, t.convertedPayout}), tenantCurrency, t.clicks));
                }
            }
        }
        return values;
    }

    private static String money(Metric m, long minor, String currency, long clicks) {
        BigDecimal major = BigDecimal.valueOf(minor, digits(currency));
        if (m == Metric.EPC) {
            return clicks == 0 ? null : major.divide(BigDecimal.valueOf(clicks), 4, RoundingMode.HALF_EVEN).toPlainString();
        }
        return major.toPlainString();
    }

    static int digits(String currency) {
        try {
            return MoneyJson.digits(currency);
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    // ---------------------------------------------------------------- logs

    /** A page of the log: items (field → value) and the cursor of the next page. */
    public record LogPage(List<Map<String, Object>> items, String next) {
    }

    public static final List<String> CONVERSION_COLUMNS = List.of("time", "kind", "conversion_id", "click_id", "status",
            "rejection_reason", "flagged", "offer", "advertiser", "affiliate", "goal", "transaction_id", "currency", "revenue", "payout",
            "sale", "sale_currency", "original_sale", "original_currency", "sale_fx_rate", "sale_fx_source", "converted_currency", "revenue_converted", "payout_converted", "fx_rate", "link", "country", "device_class",
            "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source", "clicked_at",
            "status_history");
    public static final List<String> CLICK_COLUMNS = List.of("time", "click_id", "outcome", "fallback_reason", "offer",
            "advertiser", "affiliate", "link", "country", "device_class", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6",
            "sub7", "sub8", "sub9", "sub10", "source");

    /** The log columns the caller of {@code scope} sees, in order. */
    public static List<String> logColumns(TenantScopedSearch.Scope scope, boolean conversions) {
        return scope.viewer().visible(conversions ? FieldGrants.Surface.CONVERSION_LOG : FieldGrants.Surface.CLICK_LOG,
                conversions ? CONVERSION_COLUMNS : CLICK_COLUMNS);
    }

    /** A page of the log; each item holds only the fields the caller of {@code scope} may see. */
    public LogPage log(TenantScopedSearch.Scope scope, LogQuery query, boolean conversions) {
        String alias = conversions ? views.conversionsAlias() : views.clicksAlias();
        String idField = conversions ? ReportSchema.CONVERSION_ID : ReportSchema.CLICK_ID;
        SearchResponse<Map> response = search.search(scope, List.of(alias), logFilter(query), r -> {
            r.size(query.pageSize() + 1)
                    .sort(s -> s.field(f -> f.field(ReportSchema.TIME).order(SortOrder.Desc)))
                    .sort(s -> s.field(f -> f.field(idField).order(SortOrder.Asc)));
            if (query.afterTime() != null) {
                r.searchAfter(FieldValue.of(query.afterTime()), FieldValue.of(query.afterId()));
            }
        }, Map.class);
        List<Hit<Map>> hits = response.hits().hits();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Hit<Map> hit : hits.subList(0, Math.min(hits.size(), query.pageSize()))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> source = hit.source();
            Map<String, Object> item = conversions ? conversionItem(source, scope.zone()) : clickItem(source, scope.zone());
            FieldGrants.Surface surface = conversions ? FieldGrants.Surface.CONVERSION_LOG : FieldGrants.Surface.CLICK_LOG;
            item.keySet().removeIf(field -> !scope.viewer().sees(surface, field));
            items.add(item);
        }
        String next = null;
        if (hits.size() > query.pageSize()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> last = hits.get(query.pageSize() - 1).source();
            next = ReportRequests.encode(((Number) last.get(ReportSchema.TIME)).longValue() + "|" + last.get(idField));
        }
        return new LogPage(items, next);
    }

    public long logCount(TenantScopedSearch.Scope scope, LogQuery query, boolean conversions) {
        return search.count(scope, List.of(conversions ? views.conversionsAlias() : views.clicksAlias()), logFilter(query));
    }

    private static Query logFilter(LogQuery query) {
        List<Query> filters = new ArrayList<>();
        if (query.from() != null || query.to() != null) {
            filters.add(Query.of(q -> q.range(r -> r.date(n -> {
                n.field(ReportSchema.TIME);
                if (query.from() != null) {
                    n.gte(String.valueOf(query.from().toEpochMilli()));
                }
                if (query.to() != null) {
                    n.lt(String.valueOf(query.to().toEpochMilli()));
                }
                return n;
            }))));
        }
        query.filters().forEach((field, values) -> filters.add(terms(field, values)));
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    private static Map<String, Object> conversionItem(Map<String, Object> d, ZoneId zone) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("time", time(d.get(ReportSchema.TIME), zone));
        item.put("kind", d.get(ReportSchema.KIND));
        item.put("conversion_id", d.get(ReportSchema.CONVERSION_ID));
        item.put("click_id", d.get(ReportSchema.CLICK_ID));
        item.put("status", d.get(ReportSchema.STATUS));
        item.put("rejection_reason", d.get(ReportSchema.REJECTION_REASON));
        item.put("flagged", d.get(ReportSchema.FLAGGED));
        parties(item, d);
        item.put("goal", d.get(ReportSchema.GOAL));
        item.put("transaction_id", d.get(ReportSchema.TRANSACTION_ID));
        String currency = (String) d.get(ReportSchema.CURRENCY);
        item.put("currency", currency);
        item.put("revenue", minor(d.get(ReportSchema.REVENUE_MINOR), currency));
        item.put("payout", minor(d.get(ReportSchema.PAYOUT_MINOR), currency));
        String saleCurrency = (String) d.get(ReportSchema.SALE_CURRENCY);
        item.put("sale", minor(d.get(ReportSchema.SALE_MINOR), saleCurrency));
        item.put("sale_currency", saleCurrency);
        String originalCurrency = (String) d.get(ReportSchema.ORIGINAL_SALE_CURRENCY);
        item.put("original_sale", minor(d.get(ReportSchema.ORIGINAL_SALE_MINOR), originalCurrency));
        item.put("original_currency", originalCurrency);
        item.put("sale_fx_rate", d.get(ReportSchema.SALE_FX_RATE));
        item.put("sale_fx_source", d.get(ReportSchema.SALE_FX_SOURCE));
        String converted = (String) d.get(ReportSchema.CONVERTED_CURRENCY);
        item.put("converted_currency", converted);
        item.put("revenue_converted", minor(d.get(ReportSchema.REVENUE_CONVERTED_MINOR), converted));
        item.put("payout_converted", minor(d.get(ReportSchema.PAYOUT_CONVERTED_MINOR), converted));
        item.put("fx_rate", d.get(ReportSchema.FX_RATE));
        dimensions(item, d);
        item.put("clicked_at", time(d.get(ReportSchema.CLICKED_AT), zone));
        List<Map<String, Object>> history = new ArrayList<>();
        if (d.get(ReportSchema.STATUS_HISTORY) instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> m) {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("from", m.get(ReportSchema.HISTORY_FROM));
                    h.put("to", m.get(ReportSchema.HISTORY_TO));
                    h.put("at", time(m.get(ReportSchema.HISTORY_AT), zone));
                    history.add(h);
                }
            }
        }
        item.put("status_history", history);
        return item;
    }

    private static Map<String, Object> clickItem(Map<String, Object> d, ZoneId zone) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("time", time(d.get(ReportSchema.TIME), zone));
        item.put("click_id", d.get(ReportSchema.CLICK_ID));
        item.put("outcome", d.get(ReportSchema.OUTCOME));
        item.put("fallback_reason", d.get(ReportSchema.FALLBACK_REASON));
        parties(item, d);
        dimensions(item, d);
        return item;
    }

    /** The offer, advertiser and affiliate of a log item, in the columns' order. */
    private static void parties(Map<String, Object> item, Map<String, Object> d) {
        item.put("offer", d.get(ReportSchema.OFFER_ID));
        item.put("advertiser", d.get(ReportSchema.ADVERTISER_ID));
        item.put("affiliate", d.get(ReportSchema.AFFILIATE_ID));
    }

    private static void dimensions(Map<String, Object> item, Map<String, Object> d) {
        item.put("link", d.get(ReportSchema.LINK_ID));
        item.put("country", d.get(ReportSchema.COUNTRY));
        item.put("device_class", d.get(ReportSchema.DEVICE_CLASS));
        for (String sub : ReportSchema.SUBS) {
            item.put(sub, d.get(sub));
        }
    }

    private static String time(Object millis, ZoneId zone) {
        return millis instanceof Number n ? Instant.ofEpochMilli(n.longValue()).atZone(zone).toOffsetDateTime().toString() : null;
    }

    private static String minor(Object value, String currency) {
        return value instanceof Number n && currency != null ? MoneyJson.amount(n.longValue(), currency) : null;
    }

    /** Column names of any set of rows, for CSV and GraphQL: the union of keys in first-seen order. */
    static List<String> columnsOf(List<String> fixed) {
        return new ArrayList<>(new TreeSet<>(fixed));
    }
}
