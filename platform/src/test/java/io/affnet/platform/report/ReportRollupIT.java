package io.affnet.platform.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.report.ReportSchema;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.ProcessorTokens;
import io.affnet.projections.report.ReportProjection;
import io.affnet.projections.report.ReportViews;
import io.affnet.projections.search.SearchIndices;
import io.affnet.query.report.ReportQuery;
import io.affnet.query.report.ReportRequests;
import io.affnet.query.report.ReportService;
import io.affnet.query.report.ReportTable;
import io.affnet.query.report.TenantScopedSearch;
import io.affnet.web.auth.Caller;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import io.affnet.api.conversion.ConversionRecordedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reports that count clicks from the click rollups give exactly what the click documents give, on
 * {@link RollupDataset}: every grouping and filter the rollups support, over ranges that start and end
 * inside hours, across the DST change and a month's end, per role; a half-hour zone falls back to the
 * click documents; redelivered events are not counted twice; rollups never mix tenants.
 */
class ReportRollupIT extends PlatformIT {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String ALL = ReportIT.ALL;
    /** Ranges as [from, to): inside hours at both ends, across the DST change; aligned dates; one whole hour; a month's end. */
    static final List<String[]> RANGES = List.of(
            new String[]{"2026-10-24T19:17:00Z", "2026-10-26T03:42:30Z"},
            new String[]{"2026-10-24", "2026-11-02"},
            new String[]{"2026-10-25T00:10:00Z", "2026-10-25T02:05:00Z"},
            new String[]{"2026-10-31T22:30:00Z", "2026-11-01T01:45:00Z"});
    static final List<String> GROUPINGS = List.of("", "hour", "day", "week", "month", "offer", "advertiser", "affiliate",
            "day,offer", "hour,affiliate,offer", "offer,advertiser,affiliate", "month,affiliate", "advertiser,week");

    @Autowired
    EventStore eventStore;
    @Autowired
    ElasticsearchClient elasticsearch;
    @Autowired
    TenantScopedSearch scopedSearch;
    @Autowired
    ReportService reportService;
    @Autowired
    ReportRequests reportRequests;
    @Autowired
    ReportViews views;
    @Autowired
    SearchIndices searchIndices;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    TransactionManager axonTransactions;

    String tenantId;
    String key;
    RollupDataset data;
    ReportService fromClickDocuments;
    TrackingToken beforeData;
    TrackingToken halfway;

    @BeforeEach
    void loadDataset() {
        String[] tenant = registerTenant(uniqueSlug("rollups"));
        tenantId = tenant[0];
        key = tenant[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/tenants/" + tenantId, key, null).status() == 200);
        fromClickDocuments = new ReportService(scopedSearch, views, 10_000, false);
        data = new RollupDataset(tenantId);
        int half = data.events.size() / 2;
        beforeData = eventStore.createHeadToken();
        eventStore.publish(data.events.subList(0, half));
        halfway = eventStore.createHeadToken();
        eventStore.publish(data.events.subList(half, data.events.size()));
        ReportQuery all = query("", Map.of(), "2026-10-24", "2026-11-02");
        // Every conversion indexed, not only some: a test comparing figures before and after a redelivery
        // must start from the whole dataset (it once started while conversions were still arriving).
        long recorded = data.events.stream().filter(e -> e.getPayload() instanceof ConversionRecordedEvent).count();
        long head = eventStore.createHeadToken().position().orElseThrow();
        var reportViews = processing.eventProcessor(ReportProjection.GROUP,
                org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor.class).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !reportViews.processingStatus().isEmpty()
                && reportViews.processingStatus().values().stream().allMatch(st -> st.getCurrentPosition().orElse(0) >= head));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(total(reportService.report(admin(), all, true, 10_000), "conversions")).isEqualTo(recorded);
            assertThat(total(reportService.report(admin(), all, true, 10_000), "clicks")).isEqualTo(data.clicks.size());
            assertThat(total(fromClickDocuments.report(admin(), all, true, 10_000), "clicks")).isEqualTo(data.clicks.size());
            assertThat(total(fromClickDocuments.report(admin(), all, true, 10_000), "conversions"))
                    .isEqualTo(total(reportService.report(admin(), all, true, 10_000), "conversions")).isPositive();
        });
    }

    @Test
    void everySupportedGroupingAndFilterGivesTheSameRowsOrderAndPagesFromRollupsAsFromClickDocuments() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("filter.offer", data.id("O1") + "," + data.id("O3"));
        filters.put("filter.advertiser", data.id("ADV2"));
        filters.put("filter.affiliate", data.id("A1") + "," + data.id("A2"));
        for (String[] range : RANGES) {
            long expectedClicks = data.clicks.stream().filter(in(range)).count();
            ReportQuery total = query("", Map.of(), range[0], range[1]);
            assertThat(total(reportService.report(admin(), total, true, 10_000), "clicks")).as(range[0]).isEqualTo(expectedClicks).isPositive();
            for (String groups : GROUPINGS) {
                assertSame(admin(), query(groups, Map.of(), range[0], range[1]));
            }
            for (Map.Entry<String, String> f : filters.entrySet()) {
                for (String groups : List.of("", "day,offer", "affiliate")) {
                    assertSame(admin(), query(groups, Map.of(f.getKey(), f.getValue()), range[0], range[1]));
                }
            }
            assertSame(admin(), query("hour,offer", Map.of("filter.offer", data.id("O2"), "filter.affiliate", data.id("A3")), range[0], range[1]));
        }
    }

    @Test
    void figuresPerBerlinDayAndHourMatchTheDatasetAcrossTheDstChange() {
        String[] range = RANGES.get(0);
        Map<String, long[]> days = new TreeMap<>();
        for (RollupDataset.Click c : data.clicks) {
            if (in(range).test(c)) {
                long[] counts = days.computeIfAbsent(c.at().atZone(BERLIN).toLocalDate().toString(), d -> new long[2]);
                counts[0]++;
                counts[1] += c.unique() ? 1 : 0;
            }
        }
        ReportQuery byDay = query("day", Map.of(), range[0], range[1]);
        assertThat(reportService.usesRollups(byDay, BERLIN)).isTrue();
        ReportTable table = reportService.report(admin(), byDay, true, 10_000);
        Map<String, long[]> reported = new TreeMap<>();
        for (List<Object> row : table.rows()) {
            reported.put((String) row.get(0), new long[]{(Long) row.get(1), (Long) row.get(2)});
        }
        assertThat(reported).containsOnlyKeys(days.keySet());
        days.forEach((day, counts) -> assertThat(reported.get(day)).as(day).containsExactly(counts));
        assertThat(days.values().stream().mapToLong(c -> c[0] - c[1]).sum()).as("some clicks are not unique").isPositive();

        // The hour 02:00-03:00 happens twice in Berlin that night: once in summer time, once in winter time.
        ReportQuery byHour = query("hour", Map.of(), "2026-10-24T23:20:00Z", "2026-10-25T01:40:00Z");
        assertThat(reportService.usesRollups(byHour, BERLIN)).isTrue();
        Map<Object, Object> hours = new LinkedHashMap<>();
        reportService.report(admin(), byHour, true, 10_000).rows().forEach(r -> hours.put(r.get(0), r.get(1)));
        Map<Object, Object> expected = new LinkedHashMap<>();
        String[][] parts = {{"2026-10-25T01:00:00+02:00", "2026-10-24T23:20:00Z", "2026-10-25T00:00:00Z"},
                {"2026-10-25T02:00:00+02:00", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"},
                {"2026-10-25T02:00:00+01:00", "2026-10-25T01:00:00Z", "2026-10-25T01:40:00Z"}};
        for (String[] p : parts) {
            long count = data.clicks.stream().filter(in(new String[]{p[1], p[2]})).count();
            if (count > 0) {
                expected.put(p[0], count);
            }
        }
        assertThat(expected).containsKeys("2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00");
        assertThat(hours).containsExactlyEntriesOf(expected);
    }

    @Test
    void aHalfHourZoneAndOtherDimensionsFallBackToClickDocuments() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        TenantScopedSearch.Scope india = new TenantScopedSearch.Scope(tenantId, kolkata, "EUR", admin().restrictions());
        ReportQuery byDay = reportRequests.report(Map.of("metrics", List.of(ALL), "groupBy", List.of("day"),
                "from", List.of("2026-10-24T19:17:00Z"), "to", List.of("2026-10-26T03:42:30Z")), kolkata);
        assertThat(reportService.usesRollups(byDay, kolkata)).isFalse();
        assertThat(reportService.usesRollups(byDay, BERLIN)).isTrue();
        Map<String, Long> expected = new TreeMap<>();
        data.clicks.stream().filter(in(RANGES.get(0)))
                .forEach(c -> expected.merge(c.at().atZone(kolkata).toLocalDate().toString(), 1L, Long::sum));
        Map<String, Object> reported = new TreeMap<>();
        reportService.report(india, byDay, true, 10_000).rows().forEach(r -> reported.put((String) r.get(0), r.get(1)));
        assertThat(reported).isEqualTo(new TreeMap<>(expected));

        assertThat(reportService.usesRollups(query("country", Map.of(), "2026-10-24", "2026-11-02"), BERLIN)).isFalse();
        assertThat(reportService.usesRollups(query("day", Map.of("filter.sub1", "s1"), "2026-10-24", "2026-11-02"), BERLIN)).isFalse();
        ReportQuery noWholeHour = query("offer", Map.of(), "2026-10-25T00:10:00Z", "2026-10-25T00:50:00Z");
        assertThat(reportService.usesRollups(noWholeHour, BERLIN)).isFalse();
        assertThat(total(reportService.report(admin(), noWholeHour, true, 10_000), "clicks"))
                .isEqualTo(data.clicks.stream().filter(in(new String[]{"2026-10-25T00:10:00Z", "2026-10-25T00:50:00Z"})).count());
        assertThat(new ReportService(scopedSearch, views, 10_000, false).usesRollups(query("day", Map.of(), "2026-10-24", "2026-11-02"), BERLIN))
                .as("affnet.reports.rollups=false").isFalse();
    }

    @Test
    void rollupsThatMayMissClicksAreNotUsedUntilARebuildMarksThemComplete() {
        ReportQuery byDay = query("day,offer", Map.of(), RANGES.get(0)[0], RANGES.get(0)[1]);
        ReportTable expected = fromClickDocuments.report(admin(), byDay, true, 10_000);
        assertThat(reportService.usesRollups(byDay, BERLIN)).isTrue();
        try {
            // As after an upgrade that added rollups to an installation with clicks: they count only new clicks.
            searchIndices.putMeta(views.rollupsAlias(), ReportSchema.META_COMPLETE, "false");
            views.forgetRollupState();
            assertThat(reportService.usesRollups(byDay, BERLIN)).isFalse();
            assertThat(reportService.report(admin(), byDay, true, 10_000)).isEqualTo(expected);
        } finally {
            searchIndices.putMeta(views.rollupsAlias(), ReportSchema.META_COMPLETE, ReportSchema.COMPLETE);
            views.forgetRollupState();
        }
        assertThat(reportService.usesRollups(byDay, BERLIN)).isTrue();
    }

    @Test
    void redeliveredEventsAreNotCountedAgainWhateverTheBatchBoundaries() throws Exception {
        Map<String, List<Long>> rollups = rollupDocuments();
        assertThat(rollups.values().stream().mapToLong(r -> r.get(0)).sum()).isEqualTo(data.clicks.size());
        assertThat(rollups.values()).as("documents that count several clicks").anyMatch(r -> r.get(0) > 3);
        ReportQuery byHour = query("hour,offer,affiliate", Map.of(), RANGES.get(0)[0], RANGES.get(0)[1]);
        ReportTable before = reportService.report(admin(), byHour, true, 10_000);

        restartReportViewsFrom(beforeData);
        assertThat(rollupDocuments()).as("everything handled again at once").isEqualTo(rollups);
        restartReportViewsFrom(halfway);
        assertThat(rollupDocuments()).as("the second half handled again").isEqualTo(rollups);
        assertThat(reportService.report(admin(), byHour, true, 10_000)).isEqualTo(before);
        assertSame(admin(), byHour);
    }

    @Test
    void anotherTenantsReportsNeverCountTheseRollups() throws IOException {
        String[] other = registerTenant(uniqueSlug("rollups-b"));
        await().atMost(Duration.ofSeconds(60)).until(() -> send("GET", "/api/v1/tenants/" + other[0], other[1], null).status() == 200);
        TenantScopedSearch.Scope otherScope = scopedSearch.scope(new Caller(TenantId.of(other[0]), "admin", Role.TENANT_ADMIN));
        for (String groups : List.of("", "day,offer", "affiliate")) {
            ReportQuery q = query(groups, Map.of(), "2026-10-24", "2026-11-02");
            assertThat(reportService.usesRollups(q, otherScope.zone())).isTrue();
            ReportTable table = reportService.report(otherScope, q, true, 10_000);
            if (groups.isEmpty()) {
                assertThat(total(table, "clicks")).isZero();
            } else {
                assertThat(table.rows()).isEmpty();
            }
        }
        // Asking for this tenant's offer by id changes nothing.
        ReportQuery forged = query("offer", Map.of("filter.offer", data.id("O1")), "2026-10-24", "2026-11-02");
        assertThat(reportService.report(otherScope, forged, true, 10_000).rows()).isEmpty();
        assertThat(rollupDocuments().keySet()).allMatch(id -> id.startsWith(tenantId.length() + ":" + tenantId + "|"));
    }

    @Test
    void affiliatesAndAdvertisersSeeOnlyTheirOwnClicksOnTheRollupPath() {
        String[] range = RANGES.get(0);
        TenantScopedSearch.Scope affiliate = scopedSearch.scope(new Caller(TenantId.of(tenantId), data.id("A2"), Role.AFFILIATE));
        TenantScopedSearch.Scope advertiser = scopedSearch.scope(new Caller(TenantId.of(tenantId), data.id("ADV2"), Role.ADVERTISER));
        // Each side asks only for the figures it may see (FieldGrants): affiliates the payout, advertisers the revenue.
        String affiliateMetrics = "clicks,unique_clicks,conversions,payout,epc";
        String advertiserMetrics = "clicks,unique_clicks,conversions,revenue";
        ReportQuery total = query(affiliateMetrics, "", Map.of(), range[0], range[1]);
        assertThat(reportService.usesRollups(total, BERLIN)).isTrue();
        assertThat(total(reportService.report(affiliate, total, true, 10_000), "clicks"))
                .isEqualTo(data.clicks.stream().filter(in(range)).filter(c -> c.affiliate().equals(data.id("A2"))).count()).isPositive();
        assertThat(total(reportService.report(advertiser, query(advertiserMetrics, "", Map.of(), range[0], range[1]), true, 10_000), "clicks"))
                .isEqualTo(data.clicks.stream().filter(in(range)).filter(c -> data.id("ADV2").equals(c.advertiser())).count()).isPositive();
        assertThat(total(reportService.report(affiliate, query(affiliateMetrics, "", Map.of("filter.affiliate", data.id("A1")), range[0], range[1]), true, 10_000),
                "clicks")).as("another affiliate's clicks, asked for by id").isZero();
        for (String groups : List.of("", "day,offer", "hour,affiliate")) {
            assertSame(affiliate, query(affiliateMetrics, groups, Map.of(), range[0], range[1]));
        }
        for (String groups : List.of("", "day,offer", "hour,advertiser")) {
            assertSame(advertiser, query(advertiserMetrics, groups, Map.of(), range[0], range[1]));
        }
    }

    /** The report from rollups (which it must use) equals the one from click documents: whole, and page by page. */
    void assertSame(TenantScopedSearch.Scope scope, ReportQuery query) {
        assertThat(reportService.usesRollups(query, scope.zone())).as(describe(query)).isTrue();
        assertThat(reportService.report(scope, query, true, 10_000)).as(describe(query))
                .isEqualTo(fromClickDocuments.report(scope, query, true, 10_000));
        if (query.groupBy().isEmpty()) {
            return;
        }
        ReportQuery paged = new ReportQuery(query.metrics(), query.groupBy(), query.filters(), query.from(), query.to(),
                "clicks", true, 3, 0);
        String next;
        do {
            ReportTable page = reportService.report(scope, paged, false, 0);
            assertThat(page).as(describe(paged)).isEqualTo(fromClickDocuments.report(scope, paged, false, 0));
            next = page.next();
            paged = new ReportQuery(paged.metrics(), paged.groupBy(), paged.filters(), paged.from(), paged.to(), paged.sort(),
                    true, 3, paged.offset() + 3);
        } while (next != null);
    }

    static String describe(ReportQuery q) {
        return q.groupBy() + " " + q.filters() + " " + q.from() + ".." + q.to() + " sort " + q.sort() + " offset " + q.offset();
    }

    ReportQuery query(String groups, Map<String, String> filters, String from, String to) {
        return query(ALL, groups, filters, from, to);
    }

    ReportQuery query(String metrics, String groups, Map<String, String> filters, String from, String to) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("metrics", List.of(metrics));
        if (!groups.isEmpty()) {
            params.put("groupBy", List.of(groups));
        }
        filters.forEach((k, v) -> params.put(k, List.of(v)));
        params.put("from", List.of(from));
        params.put("to", List.of(to));
        return reportRequests.report(params, BERLIN);
    }

    TenantScopedSearch.Scope admin() {
        return scopedSearch.scope(new Caller(TenantId.of(tenantId), "admin", Role.TENANT_ADMIN));
    }

    static Predicate<RollupDataset.Click> in(String[] range) {
        Instant from = instant(range[0]);
        Instant to = instant(range[1]);
        return c -> !c.at().isBefore(from) && c.at().isBefore(to);
    }

    static Instant instant(String value) {
        return value.length() == 10 ? java.time.LocalDate.parse(value).atStartOfDay(BERLIN).toInstant() : Instant.parse(value);
    }

    static long total(ReportTable table, String column) {
        int index = table.columns().indexOf(column);
        return table.rows().stream().mapToLong(r -> ((Number) r.get(index)).longValue()).sum();
    }

    /** This tenant's rollup documents: id → clicks, unique clicks, version (read after a refresh). */
    Map<String, List<Long>> rollupDocuments() throws IOException {
        elasticsearch.indices().refresh(r -> r.index(views.rollupsAlias()));
        @SuppressWarnings({"unchecked", "rawtypes"})
        var response = elasticsearch.search(s -> s.index(views.rollupsAlias()).routing(tenantId).size(10_000).version(true)
                .query(q -> q.term(t -> t.field("tenantId").value(tenantId))), (Class<Map<String, Object>>) (Class) Map.class);
        Map<String, List<Long>> docs = new TreeMap<>();
        for (var hit : response.hits().hits()) {
            Map<String, Object> source = hit.source();
            assertThat(source).containsEntry("tenantId", tenantId);
            docs.put(hit.id(), List.of(((Number) source.get("clicks")).longValue(),
                    ((Number) source.get("uniqueClicks")).longValue(), hit.version()));
        }
        return docs;
    }

    /** Stops report-views, moves every segment's token to {@code token}, starts it and waits until it is back at the head. */
    void restartReportViewsFrom(TrackingToken token) throws Exception {
        ProcessorTokens.restartFrom(processing, tokenStore, eventStore, axonTransactions, ReportProjection.GROUP,
                current -> token, Duration.ofSeconds(60));
    }
}
