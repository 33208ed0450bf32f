package io.affnet.query.report;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The same reports and logs as REST, through the same validation and the same tenant scope. */
@Controller
public class ReportGraphQlController {

    /** A GraphQL filter argument: a dimension or log field and the values it may take. */
    public record ReportFilter(String name, List<String> values) {
    }

    private final ReportService reports;
    private final ReportRequests requests;
    private final TenantScopedSearch search;

    public ReportGraphQlController(ReportService reports, ReportRequests requests, TenantScopedSearch search) {
        this.reports = reports;
        this.requests = requests;
        this.search = search;
    }

    @QueryMapping
    public ReportTable report(@Argument List<String> metrics, @Argument List<String> groupBy, @Argument String from,
                              @Argument String to, @Argument List<ReportFilter> filters, @Argument String sort,
                              @Argument Integer pageSize, @Argument String cursor, DataFetchingEnvironment env) {
        TenantScopedSearch.Scope scope = search.scope(caller(env));
        Map<String, List<String>> params = params(filters, from, to, pageSize, cursor);
        put(params, "metrics", metrics == null ? null : String.join(",", metrics));
        put(params, "groupBy", groupBy == null ? null : String.join(",", groupBy));
        put(params, "sort", sort);
        return reports.report(scope, requests.report(params, scope), false, 0);
    }

    @QueryMapping
    public ReportTable conversionLog(@Argument String from, @Argument String to, @Argument List<ReportFilter> filters,
                                     @Argument Integer pageSize, @Argument String cursor, DataFetchingEnvironment env) {
        return log(env, from, to, filters, pageSize, cursor, true);
    }

    @QueryMapping
    public ReportTable clickLog(@Argument String from, @Argument String to, @Argument List<ReportFilter> filters,
                                @Argument Integer pageSize, @Argument String cursor, DataFetchingEnvironment env) {
        return log(env, from, to, filters, pageSize, cursor, false);
    }

    private ReportTable log(DataFetchingEnvironment env, String from, String to, List<ReportFilter> filters,
                            Integer pageSize, String cursor, boolean conversions) {
        TenantScopedSearch.Scope scope = search.scope(caller(env));
        LogQuery query = requests.log(params(filters, from, to, pageSize, cursor), scope, conversions);
        ReportService.LogPage page = reports.log(scope, query, conversions);
        List<String> columns = ReportService.logColumns(scope, conversions);
        List<List<Object>> rows = new ArrayList<>();
        page.items().forEach(item -> rows.add(LogRows.row(item, columns)));
        return new ReportTable(columns, rows, scope.currency(), scope.zone().getId(), page.next());
    }

    /** {@code ReportTable.cells}: the rows' values typed (numbers, money with its currency, text). */
    @SchemaMapping(typeName = "ReportTable", field = "cells")
    public List<List<ReportCells.Cell>> cells(ReportTable table) {
        return ReportCells.of(table);
    }

    private static Caller caller(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
    }

    private static Map<String, List<String>> params(List<ReportFilter> filters, String from, String to, Integer pageSize,
                                                    String cursor) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (filters != null) {
            for (ReportFilter f : filters) {
                params.computeIfAbsent("filter." + f.name(), k -> new ArrayList<>()).addAll(f.values());
            }
        }
        put(params, "from", from);
        put(params, "to", to);
        put(params, "pageSize", pageSize == null ? null : pageSize.toString());
        put(params, "cursor", cursor);
        return params;
    }

    private static void put(Map<String, List<String>> params, String name, String value) {
        if (value != null) {
            params.put(name, List.of(value));
        }
    }
}
