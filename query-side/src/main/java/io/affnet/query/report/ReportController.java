package io.affnet.query.report;

import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports and logs over REST, as JSON or CSV ({@code Accept: text/csv} or {@code format=csv}). Thin:
 * parse and validate, scope to the caller, ask {@link ReportService}. A CSV export holds the whole
 * report or log up to the configured row limit; past it the answer is a 400 before any row is sent.
 */
@RestController
@RequestMapping("/api/v1/reports")
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AFFILIATE, Role.ADVERTISER, Role.AUDITOR})
public class ReportController {

    public static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private final ReportService reports;
    private final ReportRequests requests;
    private final TenantScopedSearch search;
    private final int csvRowLimit;
    private final ReportSharingReads sharing;

    public ReportController(ReportService reports, ReportRequests requests, TenantScopedSearch search,
                            @Value("${affnet.reports.csv-row-limit:100000}") int csvRowLimit, ReportSharingReads sharing) {
        this.sharing = sharing;
        this.reports = reports;
        this.requests = requests;
        this.search = search;
        this.csvRowLimit = csvRowLimit;
    }

    @GetMapping
    @Operation(summary = "A report: ?metrics=clicks,conversions,revenue&groupBy=day,offer&from=2026-10-01&to=2026-11-01"
            + "&filter.offer=o1,o2&sort=-revenue&pageSize=100&cursor=… (format=csv for CSV)",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<?> report(Caller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
        TenantScopedSearch.Scope scope = search.scope(caller);
        Map<String, List<String>> params = params(request);
        ReportQuery query = requests.report(params, scope);
        if (wantsCsv(request, params)) {
            ReportTable table = reports.report(scope, query, true, csvRowLimit);
            CsvWriter csv = csv(response, "report.csv");
            csv.row(table.columns());
            for (List<Object> row : table.rows()) {
                csv.row(row);
            }
            csv.flush();
            return null;
        }
        return ResponseEntity.ok(reports.report(scope, query, false, csvRowLimit));
    }

    /** The metrics, groups and log columns the caller may see (the dashboard shows only these). */
    public record VisibleFields(List<String> metrics, List<String> dimensions, List<String> conversionLog, List<String> clickLog) {
    }

    @GetMapping("/fields")
    @Operation(summary = "The report metrics, dimensions and log columns the caller's role may see",
            security = @SecurityRequirement(name = "bearer"))
    public VisibleFields fields(Caller caller) {
        TenantScopedSearch.Scope scope = search.scope(caller);
        FieldGrants.Viewer viewer = scope.viewer();
        return new VisibleFields(
                viewer.visible(FieldGrants.Surface.METRIC, Arrays.stream(Metric.values()).map(Metric::apiName).toList()),
                viewer.visible(FieldGrants.Surface.DIMENSION, Arrays.stream(Dimension.values()).map(Dimension::apiName).toList()),
                ReportService.logColumns(scope, true), ReportService.logColumns(scope, false));
    }

    @GetMapping("/sharing")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
    @Operation(summary = "Whether the tenant's advertisers see who sent their traffic (set with PUT /api/v1/report-sharing)",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Boolean> sharing(Caller caller) {
        return Map.of("advertisersSeeAffiliates", sharing.advertisersSeeAffiliates(caller.tenantId().value()));
    }

    @GetMapping("/conversions")
    @Operation(summary = "The conversion log, newest first: ?filter.click_id=…&filter.transaction_id=…&filter.status=approved"
            + "&filter.rejection_reason=duplicate&filter.sub1=…&from=&to=&pageSize=&cursor= (format=csv for CSV)",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<?> conversions(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return log(caller, request, response, true);
    }

    @GetMapping("/clicks")
    @Operation(summary = "The click log, newest first: ?filter.click_id=…&filter.sub1=…&filter.country=DE&from=&to=&pageSize=&cursor=",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<?> clicks(Caller caller, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return log(caller, request, response, false);
    }

    private ResponseEntity<?> log(Caller caller, HttpServletRequest request, HttpServletResponse response,
                                  boolean conversions) throws IOException {
        TenantScopedSearch.Scope scope = search.scope(caller);
        Map<String, List<String>> params = params(request);
        LogQuery query = requests.log(params, scope, conversions);
        if (!wantsCsv(request, params)) {
            return ResponseEntity.ok(reports.log(scope, query, conversions));
        }
        long rows = reports.logCount(scope, query, conversions);
        if (rows > csvRowLimit) {
            throw ApiProblem.invalid("format", "The export has " + rows + " rows, more than the limit of " + csvRowLimit
                    + "; narrow the range or the filters.");
        }
        List<String> columns = ReportService.logColumns(scope, conversions);
        // Streams page by page (search_after), so a large export never sits in memory.
        CsvWriter csv = csv(response, conversions ? "conversions.csv" : "clicks.csv");
        csv.row(columns);
        LogQuery page = new LogQuery(query.filters(), query.from(), query.to(), 1000, null, null);
        long written = 0;
        while (written < csvRowLimit) {
            ReportService.LogPage result = reports.log(scope, page, conversions);
            for (Map<String, Object> item : result.items()) {
                csv.row(LogRows.row(item, columns));
                written++;
            }
            if (result.next() == null) {
                break;
            }
            LogQuery cursor = requests.log(Map.of("cursor", List.of(result.next())), scope, conversions);
            page = new LogQuery(query.filters(), query.from(), query.to(), 1000, cursor.afterTime(), cursor.afterId());
        }
        csv.flush();
        return null;
    }

    private static CsvWriter csv(HttpServletResponse response, String filename) throws IOException {
        response.setStatus(200);
        response.setContentType(CSV.toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        return new CsvWriter(new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)));
    }

    private static boolean wantsCsv(HttpServletRequest request, Map<String, List<String>> params) {
        List<String> format = params.get("format");
        if (format != null && !format.isEmpty()) {
            if (format.get(0).equals("csv")) {
                return true;
            }
            if (!format.get(0).equals("json")) {
                throw ApiProblem.invalid("format", "format is json or csv.");
            }
            return false;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv");
    }

    static Map<String, List<String>> params(HttpServletRequest request) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> params.put(k, new ArrayList<>(Arrays.asList(v))));
        return params;
    }
}
