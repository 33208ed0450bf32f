package io.affnet.query.report;

import io.affnet.api.common.Role;
import io.affnet.api.report.ReportSchema;
import io.affnet.web.problem.ApiProblem;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Report and log requests: closed lists, bounded ranges and pages, cursors, and the caller's field grants. */
class ReportRequestsTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final FieldGrants.Viewer AFFILIATE = new FieldGrants.Viewer(Role.AFFILIATE, false);
    private static final FieldGrants.Viewer ADVERTISER = new FieldGrants.Viewer(Role.ADVERTISER, false);

    private final ReportRequests requests = new ReportRequests(400, 1000, 500);

    private static Map<String, List<String>> params(String... pairs) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return params;
    }

    private static Map<String, List<String>> range(String... more) {
        String[] all = new String[more.length + 4];
        all[0] = "from";
        all[1] = "2026-11-01";
        all[2] = "to";
        all[3] = "2026-12-01";
        System.arraycopy(more, 0, all, 4, more.length);
        return params(all);
    }

    private static TenantScopedSearch.Scope scope(FieldGrants.Viewer viewer) {
        return new TenantScopedSearch.Scope("t_1", BERLIN, "EUR", List.of(), viewer);
    }

    private static ApiProblem problem(ThrowableAssert.ThrowingCallable call, HttpStatus status, String field) {
        ApiProblem problem = catchThrowableOfType(ApiProblem.class, call);
        assertThat(problem).as("a problem for " + field).isNotNull();
        assertThat(problem.status()).isEqualTo(status);
        assertThat(problem.properties().toString()).contains(field);
        return problem;
    }

    @Test
    void aReportHasTheDefaultMetricsAndDatesAreMidnightInTheTenantsZone() {
        ReportQuery query = requests.report(range(), BERLIN);
        assertThat(query.metrics()).containsExactly(Metric.CLICKS, Metric.CONVERSIONS, Metric.REVENUE, Metric.PAYOUT, Metric.PROFIT);
        assertThat(query.from()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat(query.to()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(query.pageSize()).isEqualTo(100);
        assertThat(query.offset()).isZero();
        assertThat(requests.report(params("from", "2026-11-01T00:00:00Z", "to", "2026-11-02T00:00:00+01:00"), BERLIN).to())
                .isEqualTo(Instant.parse("2026-11-01T23:00:00Z"));
    }

    @Test
    void metricsGroupsFiltersAndSortAreReadFromTheClosedLists() {
        ReportQuery query = requests.report(range("metrics", "clicks,revenue,clicks", "groupBy", "day", "groupBy", "offer",
                "filter.country", "DE, AT", "filter.offer", "off_1", "sort", "-revenue", "pageSize", "20"), BERLIN);
        assertThat(query.metrics()).containsExactly(Metric.CLICKS, Metric.REVENUE);
        assertThat(query.groupBy()).containsExactly(Dimension.DAY, Dimension.OFFER);
        assertThat(query.filters()).containsEntry(Dimension.COUNTRY, List.of("DE", "AT")).containsEntry(Dimension.OFFER, List.of("off_1"));
        assertThat(query.sort()).isEqualTo("revenue");
        assertThat(query.descending()).isTrue();
        assertThat(query.pageSize()).isEqualTo(20);
    }

    @Test
    void anythingOutsideTheListsIsA400NamingTheParameter() {
        problem(() -> requests.report(range("metrics", "margin"), BERLIN), HttpStatus.BAD_REQUEST, "metrics");
        problem(() -> requests.report(range("groupBy", "ip"), BERLIN), HttpStatus.BAD_REQUEST, "groupBy");
        problem(() -> requests.report(range("groupBy", "day,week"), BERLIN), HttpStatus.BAD_REQUEST, "groupBy");
        problem(() -> requests.report(range("filter.day", "2026-11-01"), BERLIN), HttpStatus.BAD_REQUEST, "filter.day");
        problem(() -> requests.report(range("filter.tenant", "t_2"), BERLIN), HttpStatus.BAD_REQUEST, "filter.tenant");
        problem(() -> requests.report(range("tenantId", "t_2"), BERLIN), HttpStatus.BAD_REQUEST, "tenantId");
        problem(() -> requests.report(range("sort", "payout", "metrics", "clicks"), BERLIN), HttpStatus.BAD_REQUEST, "sort");
        problem(() -> requests.report(range("pageSize", "1001"), BERLIN), HttpStatus.BAD_REQUEST, "pageSize");
        problem(() -> requests.report(range("pageSize", "0"), BERLIN), HttpStatus.BAD_REQUEST, "pageSize");
        problem(() -> requests.report(range("pageSize", "ten"), BERLIN), HttpStatus.BAD_REQUEST, "pageSize");
        problem(() -> requests.report(range("sort", "clicks", "sort", "-clicks", "metrics", "clicks"), BERLIN),
                HttpStatus.BAD_REQUEST, "sort");
    }

    @Test
    void filterValuesAreExactTermsOfALimitedAlphabetNeverQuerySyntax() {
        problem(() -> requests.report(range("filter.offer", "off_1 OR *"), BERLIN), HttpStatus.BAD_REQUEST, "filter.offer");
        problem(() -> requests.report(range("filter.sub1", "{\"match_all\":{}}"), BERLIN), HttpStatus.BAD_REQUEST, "filter.sub1");
        problem(() -> requests.report(range("filter.offer", " , "), BERLIN), HttpStatus.BAD_REQUEST, "filter.offer");
        problem(() -> requests.report(range("filter.offer", "x".repeat(201)), BERLIN), HttpStatus.BAD_REQUEST, "filter.offer");
        problem(() -> requests.report(range("filter.offer", "o,".repeat(101)), BERLIN), HttpStatus.BAD_REQUEST, "filter.offer");
        assertThat(requests.report(range("filter.sub1", "news@mail.example/a+b:c-d_e.f"), BERLIN).filters().get(Dimension.SUB1))
                .containsExactly("news@mail.example/a+b:c-d_e.f");
    }

    @Test
    void theRangeIsRequiredOrderedBoundedAndWithinTheYearsTheStoreCanHold() {
        problem(() -> requests.report(params("to", "2026-12-01"), BERLIN), HttpStatus.BAD_REQUEST, "from");
        problem(() -> requests.report(params("from", "2026-12-01", "to", "2026-11-01"), BERLIN), HttpStatus.BAD_REQUEST, "to");
        problem(() -> requests.report(params("from", "2026-12-01", "to", "2026-12-01"), BERLIN), HttpStatus.BAD_REQUEST, "to");
        problem(() -> requests.report(params("from", "2025-01-01", "to", "2026-12-01"), BERLIN), HttpStatus.BAD_REQUEST, "to");
        problem(() -> requests.report(params("from", "1969-12-01", "to", "1970-01-02"), BERLIN), HttpStatus.BAD_REQUEST, "from");
        problem(() -> requests.report(params("from", "2026-11-01", "to", "+10000-01-01T00:00:00Z"), BERLIN), HttpStatus.BAD_REQUEST, "to");
        problem(() -> requests.report(params("from", "yesterday", "to", "2026-12-01"), BERLIN), HttpStatus.BAD_REQUEST, "from");
        problem(() -> requests.report(params("from", "2026-11-01T00:00:00", "to", "2026-12-01"), BERLIN), HttpStatus.BAD_REQUEST, "from");
    }

    @Test
    void aReportCursorIsTheOffsetOfTheNextPageAndAnythingElseIsA400() {
        assertThat(requests.report(range("cursor", ReportRequests.encode("o:300")), BERLIN).offset()).isEqualTo(300);
        for (String bad : new String[]{"not base64!", ReportRequests.encode("o:-1"), ReportRequests.encode("o:x"),
                ReportRequests.encode("1700000000000|clk_1"), ReportRequests.encode("o:99999999999")}) {
            ApiProblem problem = problem(() -> requests.report(range("cursor", bad), BERLIN), HttpStatus.BAD_REQUEST, "cursor");
            assertThat(problem.getMessage()).as(bad).contains("'next' value of a previous page");
        }
    }

    @Test
    void aLogCursorIsTheTimeAndIdOfTheLastRowSeen() {
        LogQuery query = requests.log(params("cursor", ReportRequests.encode("1764547200000|cnv_42"), "pageSize", "500"), BERLIN, true);
        assertThat(query.afterTime()).isEqualTo(1764547200000L);
        assertThat(query.afterId()).isEqualTo("cnv_42");
        assertThat(query.pageSize()).isEqualTo(500);
        assertThat(requests.log(params(), BERLIN, false).pageSize()).isEqualTo(50);
        for (String bad : new String[]{ReportRequests.encode("cnv_42"), ReportRequests.encode("x|cnv_42"),
                ReportRequests.encode("1764547200000|\"}]"), ReportRequests.encode("o:20")}) {
            problem(() -> requests.log(params("cursor", bad), BERLIN, true), HttpStatus.BAD_REQUEST, "cursor");
        }
        problem(() -> requests.log(params("pageSize", "501"), BERLIN, true), HttpStatus.BAD_REQUEST, "pageSize");
    }

    @Test
    void logFiltersAreTheLogsOwnColumnsOnTheirDocumentFields() {
        LogQuery query = requests.log(params("filter.status", "approved,pending", "filter.transaction_id", "order-1",
                "from", "2026-11-01"), BERLIN, true);
        assertThat(query.filters()).containsEntry(ReportSchema.STATUS, List.of("APPROVED", "PENDING"))
                .containsEntry(ReportSchema.TRANSACTION_ID, List.of("order-1"));
        assertThat(query.from()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat(query.to()).isNull();
        problem(() -> requests.log(params("filter.outcome", "redirected"), BERLIN, true), HttpStatus.BAD_REQUEST, "filter.outcome");
        problem(() -> requests.log(params("filter.status", "approved"), BERLIN, false), HttpStatus.BAD_REQUEST, "filter.status");
        problem(() -> requests.log(params("groupBy", "day"), BERLIN, false), HttpStatus.BAD_REQUEST, "groupBy");
    }

    @Test
    void anAffiliateMayNotAskForRevenueOrProfitAndItsDefaultMetricsLeaveThemOut() {
        ReportQuery query = requests.report(range(), scope(AFFILIATE));
        assertThat(query.metrics()).containsExactly(Metric.CLICKS, Metric.CONVERSIONS, Metric.PAYOUT);
        for (String metric : new String[]{"revenue", "profit", "rejected_reports"}) {
            ApiProblem problem = problem(() -> requests.report(range("metrics", metric), scope(AFFILIATE)), HttpStatus.FORBIDDEN, "metrics");
            assertThat(problem.type()).isEqualTo("field-forbidden");
        }
        problem(() -> requests.report(range("groupBy", "advertiser"), scope(AFFILIATE)), HttpStatus.FORBIDDEN, "groupBy");
        problem(() -> requests.log(params("filter.transaction_id", "order-1"), scope(AFFILIATE), true),
                HttpStatus.FORBIDDEN, "filter.transaction_id");
    }

    @Test
    void anAdvertiserMayNotAskForPayoutOrProfitNorForWhoSentTheTrafficUnlessTheTenantShares() {
        assertThat(requests.report(range(), scope(ADVERTISER)).metrics()).containsExactly(Metric.CLICKS, Metric.CONVERSIONS, Metric.REVENUE);
        problem(() -> requests.report(range("metrics", "payout"), scope(ADVERTISER)), HttpStatus.FORBIDDEN, "metrics");
        problem(() -> requests.report(range("metrics", "epc"), scope(ADVERTISER)), HttpStatus.FORBIDDEN, "metrics");
        problem(() -> requests.report(range("groupBy", "affiliate"), scope(ADVERTISER)), HttpStatus.FORBIDDEN, "groupBy");
        problem(() -> requests.report(range("filter.sub1", "x"), scope(ADVERTISER)), HttpStatus.FORBIDDEN, "filter.sub1");
        FieldGrants.Viewer sharing = new FieldGrants.Viewer(Role.ADVERTISER, true);
        assertThat(requests.report(range("groupBy", "affiliate", "filter.sub1", "x"), scope(sharing)).groupBy())
                .containsExactly(Dimension.AFFILIATE);
    }
}
