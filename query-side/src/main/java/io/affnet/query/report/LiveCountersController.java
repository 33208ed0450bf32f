package io.affnet.query.report;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live counters the console's overview shows: today's clicks, conversions and money of the caller's
 * tenant, through the same report path, tenant scope and field rules as {@code GET /api/v1/reports}.
 * The subscription reads them every {@link #CHECK} and pushes a value only when it differs from the last
 * one sent (the first at once), so an idle dashboard receives nothing but the transport's keep-alives.
 */
@Controller
public class LiveCountersController {

    static final Duration CHECK = Duration.ofMillis(500);
    private static final List<String> METRICS = List.of("clicks", "conversions", "revenue", "payout", "profit");

    private final ReportService reports;
    private final ReportRequests requests;
    private final TenantScopedSearch search;

    public LiveCountersController(ReportService reports, ReportRequests requests, TenantScopedSearch search) {
        this.reports = reports;
        this.requests = requests;
        this.search = search;
    }

    @SubscriptionMapping
    public Flux<Map<String, Object>> todayCounters(DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        TenantScopedSearch.Scope scope = search.scope(caller);
        List<String> metrics = scope.viewer().visible(FieldGrants.Surface.METRIC, METRICS);
        return Flux.interval(Duration.ZERO, CHECK)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(() -> counters(scope, metrics)).subscribeOn(Schedulers.boundedElastic()), 1)
                .distinctUntilChanged();
    }

    private Map<String, Object> counters(TenantScopedSearch.Scope scope, List<String> metrics) {
        LocalDate today = LocalDate.now(scope.zone());
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("metrics", new ArrayList<>(List.of(String.join(",", metrics))));
        params.put("from", new ArrayList<>(List.of(today.toString())));
        params.put("to", new ArrayList<>(List.of(today.plusDays(1).toString())));
        ReportTable table = reports.report(scope, requests.report(params, scope), false, 0);
        List<Object> row = table.rows().isEmpty() ? List.of() : table.rows().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("day", today.toString());
        out.put("clicks", number(cell(table, row, "clicks")));
        out.put("conversions", number(cell(table, row, "conversions")));
        for (String money : List.of("revenue", "payout", "profit")) {
            out.put(money, metrics.contains(money) ? text(cell(table, row, money + "_converted_" + table.currency())) : null);
        }
        out.put("currency", table.currency());
        return out;
    }

    private static Object cell(ReportTable table, List<Object> row, String column) {
        int i = table.columns().indexOf(column);
        return i < 0 || i >= row.size() ? null : row.get(i);
    }

    private static long number(Object value) {
        return value == null ? 0 : new java.math.BigDecimal(String.valueOf(value)).longValue();
    }

    private static String text(Object value) {
        return value == null ? "0" : String.valueOf(value);
    }
}
