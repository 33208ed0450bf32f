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
import io.affnet.projections.report.ReportDocuments;
import io.affnet.projections.report.ReportViews;
import io.affnet.web.problem.ApiProblem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Answers reports and log searches from the report views, for REST, GraphQL and CSV alike. A report is
 * one search over the click and conversion aliases: a composite aggregation over the groups (time
 * buckets in the tenant's zone, so a DST day has 23 or 25 hours), with filter/terms/sum/cardinality
 * sub-aggregations for the metrics. The composite is paged through in full (up to a cap of groups),
 * then sorted and cut into pages here, so any metric can be the sort column.
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
    }

    private record Row(List<Object> sortKeys, List<String> keys, Totals totals) {
    }

    private static final int COMPOSITE_PAGE = 1000;

    private final TenantScopedSearch search;
    private final ReportViews views;
    private final int maxGroups;

    public ReportService(TenantScopedSearch search, ReportViews views, int maxGroups) {
        this.search = search;
        this.views = views;
        this.maxGroups = maxGroups;
    }

    /** The page the query asks for; {@code all} ignores paging (CSV), up to {@code rowLimit} rows. */
    public ReportTable report(TenantScopedSearch.Scope scope, ReportQuery query, boolean all, int rowLimit) {
        Query filter = reportFilter(query);
        Map<String, Aggregation> metrics = metricAggregations(query);
        List<String> aliases = List.of(views.clicksAlias(), views.conversionsAlias());
        List<Row> rows = new ArrayList<>();
        if (query.groupBy().isEmpty()) {
            SearchResponse<Void> response = search.search(scope, aliases, filter, r -> r.size(0).aggregations(metrics), Void.class);
            rows.add(new Row(List.of(), List.of(), totals(response.aggregations())));
        } else {
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
                    rows.add(row(query, scope.zone(), bucket));
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

    private static Query reportFilter(ReportQuery query) {
        List<Query> filters = new ArrayList<>();
        filters.add(Query.of(q -> q.range(r -> r.date(n -> n.field("time")
                .gte(String.valueOf(query.from().toEpochMilli())).lt(String.valueOf(query.to().toEpochMilli()))))));
        query.filters().forEach((d, values) -> filters.add(terms(d.field(), values)));
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    static Query terms(String field, List<String> values) {
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(values.stream().map(FieldValue::of).toList()))));
    }

    private static Map<String, Aggregation> metricAggregations(ReportQuery query) {
        Map<String, Aggregation> aggs = new LinkedHashMap<>();
        boolean unique = query.metrics().contains(Metric.UNIQUE_CLICKS);
        aggs.put("clicks", Aggregation.of(a -> {
            var f = a.filter(TenantScopedSearch.term("kind", ReportDocuments.KIND_CLICK));
            if (unique) {
                f.aggregations("unique", x -> x.cardinality(c -> c.field("ipHash").precisionThreshold(40000)));
            }
            return f;
        }));
        aggs.put("conv", Aggregation.of(a -> a.filter(TenantScopedSearch.term("kind", ReportDocuments.KIND_CONVERSION))
                .aggregations("status", x -> x.terms(t -> t.field("status").size(10)))));
        aggs.put("rej", Aggregation.of(a -> a.filter(TenantScopedSearch.term("kind", ReportDocuments.KIND_REJECTION))));
        Query owed = Query.of(q -> q.bool(b -> b.filter(TenantScopedSearch.term("kind", ReportDocuments.KIND_CONVERSION))
                .filter(terms("status", List.of("PENDING", "APPROVED")))));
        aggs.put("money", Aggregation.of(a -> a.filter(owed)
                .aggregations("cur", x -> x.terms(t -> t.field("currency").size(100))
                        .aggregations("rev", s -> s.sum(m -> m.field("revenueMinor")))
                        .aggregations("pay", s -> s.sum(m -> m.field("payoutMinor"))))
                .aggregations("crev", s -> s.sum(m -> m.field("revenueConvertedMinor")))
                .aggregations("cpay", s -> s.sum(m -> m.field("payoutConvertedMinor")))));
        return aggs;
    }

    private static Row row(ReportQuery query, ZoneId zone, CompositeBucket bucket) {
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
        return new Row(sortKeys, keys, totals(bucket.aggregations()));
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

    private static Totals totals(Map<String, Aggregate> aggs) {
        Totals t = new Totals();
        var clicks = aggs.get("clicks").filter();
        t.clicks = clicks.docCount();
        if (clicks.aggregations().containsKey("unique")) {
            t.unique = clicks.aggregations().get("unique").cardinality().value();
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
                    Math.round(b.aggregations().get("rev").sum().value()),
                    Math.round(b.aggregations().get("pay").sum().value())});
        }
        t.convertedRevenue = Math.round(money.aggregations().get("crev").sum().value());
        t.convertedPayout = Math.round(money.aggregations().get("cpay").sum().value());
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
                        default -> a -> a[0] - a[1];
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
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    // ---------------------------------------------------------------- logs

    /** A page of the log: items (field → value) and the cursor of the next page. */
    public record LogPage(List<Map<String, Object>> items, String next) {
    }

    public static final List<String> CONVERSION_COLUMNS = List.of("time", "kind", "conversion_id", "click_id", "status",
            "rejection_reason", "offer", "advertiser", "affiliate", "goal", "transaction_id", "currency", "revenue", "payout",
            "converted_currency", "revenue_converted", "payout_converted", "fx_rate", "link", "country", "device_class",
            "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source", "clicked_at",
            "status_history");
    public static final List<String> CLICK_COLUMNS = List.of("time", "click_id", "outcome", "fallback_reason", "offer",
            "advertiser", "affiliate", "link", "country", "device_class", "sub1", "sub2", "sub3", "sub4", "sub5", "sub6",
            "sub7", "sub8", "sub9", "sub10", "source");

    public LogPage log(TenantScopedSearch.Scope scope, LogQuery query, boolean conversions) {
        String alias = conversions ? views.conversionsAlias() : views.clicksAlias();
        String idField = conversions ? "conversionId" : "clickId";
        SearchResponse<Map> response = search.search(scope, List.of(alias), logFilter(query), r -> {
            r.size(query.pageSize() + 1)
                    .sort(s -> s.field(f -> f.field("time").order(SortOrder.Desc)))
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
            items.add(conversions ? conversionItem(source, scope.zone()) : clickItem(source, scope.zone()));
        }
        String next = null;
        if (hits.size() > query.pageSize()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> last = hits.get(query.pageSize() - 1).source();
            next = ReportRequests.encode(((Number) last.get("time")).longValue() + "|" + last.get(idField));
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
                n.field("time");
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
        item.put("time", time(d.get("time"), zone));
        item.put("kind", d.get("kind"));
        item.put("conversion_id", d.get("conversionId"));
        item.put("click_id", d.get("clickId"));
        item.put("status", d.get("status"));
        item.put("rejection_reason", d.get("rejectionReason"));
        item.put("offer", d.get("offerId"));
        item.put("advertiser", d.get("advertiserId"));
        item.put("affiliate", d.get("affiliateId"));
        item.put("goal", d.get("goal"));
        item.put("transaction_id", d.get("transactionId"));
        String currency = (String) d.get("currency");
        item.put("currency", currency);
        item.put("revenue", minor(d.get("revenueMinor"), currency));
        item.put("payout", minor(d.get("payoutMinor"), currency));
        String converted = (String) d.get("convertedCurrency");
        item.put("converted_currency", converted);
        item.put("revenue_converted", minor(d.get("revenueConvertedMinor"), converted));
        item.put("payout_converted", minor(d.get("payoutConvertedMinor"), converted));
        item.put("fx_rate", d.get("fxRate"));
        dimensions(item, d);
        item.put("clicked_at", time(d.get("clickedAt"), zone));
        List<Map<String, Object>> history = new ArrayList<>();
        if (d.get("statusHistory") instanceof List<?> entries) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> m) {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("from", m.get("from"));
                    h.put("to", m.get("to"));
                    h.put("at", time(m.get("at"), zone));
                    history.add(h);
                }
            }
        }
        item.put("status_history", history);
        return item;
    }

    private static Map<String, Object> clickItem(Map<String, Object> d, ZoneId zone) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("time", time(d.get("time"), zone));
        item.put("click_id", d.get("clickId"));
        item.put("outcome", d.get("outcome"));
        item.put("fallback_reason", d.get("fallbackReason"));
        item.put("offer", d.get("offerId"));
        item.put("advertiser", d.get("advertiserId"));
        item.put("affiliate", d.get("affiliateId"));
        dimensions(item, d);
        return item;
    }

    private static void dimensions(Map<String, Object> item, Map<String, Object> d) {
        item.put("link", d.get("linkId"));
        item.put("country", d.get("country"));
        item.put("device_class", d.get("deviceClass"));
        for (String sub : ReportDocuments.SUBS) {
            item.put(sub, d.get(sub));
        }
    }

    private static String time(Object millis, ZoneId zone) {
        return millis instanceof Number n ? Instant.ofEpochMilli(n.longValue()).atZone(zone).toOffsetDateTime().toString() : null;
    }

    private static String minor(Object value, String currency) {
        return value instanceof Number n && currency != null ? BigDecimal.valueOf(n.longValue(), digits(currency)).toPlainString() : null;
    }

    /** Column names of any set of rows, for CSV and GraphQL: the union of keys in first-seen order. */
    static List<String> columnsOf(List<String> fixed) {
        return new ArrayList<>(new TreeSet<>(fixed));
    }
}
