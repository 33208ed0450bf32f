package io.affnet.query.report;

import io.affnet.api.common.Role;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class FieldGrantsTest {

    @Test
    void everyMetricDimensionLogColumnAndLogFilterHasExactlyTheRowsItNeeds() {
        assertRows(FieldGrants.Surface.METRIC, Arrays.stream(Metric.values()).map(Metric::apiName).toList());
        assertRows(FieldGrants.Surface.DIMENSION, Arrays.stream(Dimension.values()).map(Dimension::apiName).toList());
        assertRows(FieldGrants.Surface.CONVERSION_LOG, ReportService.CONVERSION_COLUMNS);
        assertRows(FieldGrants.Surface.CLICK_LOG, ReportService.CLICK_COLUMNS);
        List<String> ledger = new ArrayList<>(Arrays.stream(io.affnet.api.ledger.LedgerAccount.values())
                .map(a -> a.name().toLowerCase(java.util.Locale.ROOT)).toList());
        ledger.addAll(List.of("payout_amount", "payout_paid", "fx_rate"));
        assertRows(FieldGrants.Surface.LEDGER, ledger);
        // A log filter is a log column: filtering by a field is as good as reading it.
        assertThat(ReportService.CONVERSION_COLUMNS).containsAll(ReportRequests.CONVERSION_LOG_FILTERS.keySet());
        assertThat(ReportService.CLICK_COLUMNS).containsAll(ReportRequests.CLICK_LOG_FILTERS.keySet());
    }

    private static void assertRows(FieldGrants.Surface surface, List<String> fields) {
        assertThat(new TreeSet<>(FieldGrants.table().get(surface).keySet())).as(surface + " rows (add a grant for each new field)")
                .isEqualTo(new TreeSet<>(fields));
    }

    @Test
    void aFieldWithoutARowIsShownToNobody() {
        for (Role role : Role.values()) {
            assertThat(new FieldGrants.Viewer(role, true).sees(FieldGrants.Surface.METRIC, "margin_next_quarter")).isFalse();
        }
    }

    @Test
    void affiliatesNeverSeeRevenueOrMarginAndAdvertisersNeverSeePayoutOrMargin() {
        FieldGrants.Viewer affiliate = new FieldGrants.Viewer(Role.AFFILIATE, true);
        FieldGrants.Viewer advertiser = new FieldGrants.Viewer(Role.ADVERTISER, true);
        for (FieldGrants.Surface s : FieldGrants.Surface.values()) {
            for (String field : FieldGrants.table().get(s).keySet()) {
                if (field.startsWith("revenue") || field.startsWith("profit")) {
                    assertThat(affiliate.sees(s, field)).as(s + " " + field).isFalse();
                }
                if (field.startsWith("payout") || field.startsWith("profit") || field.equals("epc") || field.equals("balance")) {
                    assertThat(advertiser.sees(s, field)).as(s + " " + field).isFalse();
                }
            }
        }
    }

    @Test
    void advertisersSeeWhoSentTrafficOnlyWhereTheTenantSharesIt() {
        Set<String> identities = Set.of("affiliate", "link", "source", "sub1", "sub10");
        for (String field : identities) {
            assertThat(new FieldGrants.Viewer(Role.ADVERTISER, false).sees(FieldGrants.Surface.DIMENSION, field)).isFalse();
            assertThat(new FieldGrants.Viewer(Role.ADVERTISER, true).sees(FieldGrants.Surface.DIMENSION, field)).isTrue();
            assertThat(new FieldGrants.Viewer(Role.AFFILIATE, false).sees(FieldGrants.Surface.DIMENSION, field)).isTrue();
        }
    }

    @Test
    void docsSecurityHoldsTheTableTheCodeEnforces() throws Exception {
        String doc = Files.readString(Path.of("../docs/security.md"));
        assertThat(doc).as("docs/security.md must contain FieldGrants.markdown() verbatim (regenerate it)")
                .contains(FieldGrants.markdown());
    }

    @Test
    void staffSeeEveryFieldWithARow() {
        List<String> hidden = new ArrayList<>();
        for (Role role : List.of(Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.OPERATOR)) {
            FieldGrants.table().forEach((s, rows) -> rows.keySet().forEach(f -> {
                if (!new FieldGrants.Viewer(role, false).sees(s, f)) {
                    hidden.add(role + " " + s + " " + f);
                }
            }));
        }
        assertThat(hidden).isEmpty();
    }
}
