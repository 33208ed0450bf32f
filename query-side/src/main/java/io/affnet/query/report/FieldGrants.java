package io.affnet.query.report;

import io.affnet.api.common.Role;
import io.affnet.web.problem.ApiProblem;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which report, log and balance fields each role may see: the one table, default deny. A metric,
 * dimension or column without a row here is shown to nobody (not even staff), and the generated
 * field test fails until it gets one. Staff (tenant admin, analyst, auditor, operator) see every field
 * that has a row; an affiliate sees the payout side of its own traffic; an advertiser the revenue side
 * of its offers, and who sent the traffic (affiliate, link, subs, source) only when its tenant shares
 * affiliate identities with advertisers. Asking for a field one may not see (a metric, a group, a
 * filter) is a 403 {@code field-forbidden}; a log simply has no column one may not see.
 */
public final class FieldGrants {

    /** Who besides staff sees a field. */
    public enum Grant {
        /** Everyone who may read reports. */
        ALL,
        /** Staff only (margin). */
        STAFF,
        /** Staff and affiliates: what affiliates earn. */
        PAYOUT_SIDE,
        /** Staff and advertisers: what advertisers pay, their postbacks, their own ids. */
        REVENUE_SIDE,
        /** Staff and affiliates; advertisers only where the tenant shares affiliate identities. */
        AFFILIATE_IDENTITY;

        boolean visibleTo(Role role, boolean tenantSharesAffiliates) {
            if (isStaff(role)) {
                return true;
            }
            return switch (this) {
                case ALL -> role == Role.AFFILIATE || role == Role.ADVERTISER;
                case STAFF -> false;
                case PAYOUT_SIDE -> role == Role.AFFILIATE;
                case REVENUE_SIDE -> role == Role.ADVERTISER;
                case AFFILIATE_IDENTITY -> role == Role.AFFILIATE || (role == Role.ADVERTISER && tenantSharesAffiliates);
            };
        }
    }

    /** Where a field is shown; a name means one thing per surface. */
    public enum Surface { METRIC, DIMENSION, CONVERSION_LOG, CLICK_LOG, BALANCE, LEDGER }

    private static final Map<Surface, Map<String, Grant>> TABLE = build();

    private static Map<Surface, Map<String, Grant>> build() {
        Map<Surface, Map<String, Grant>> t = new EnumMap<>(Surface.class);
        Map<String, Grant> metric = rows(t, Surface.METRIC);
        grant(metric, Grant.ALL, "clicks", "unique_clicks", "conversions", "conversions_pending", "conversions_approved",
                "conversions_rejected", "conversions_reversed", "cr");
        grant(metric, Grant.REVENUE_SIDE, "revenue", "rejected_reports");
        grant(metric, Grant.PAYOUT_SIDE, "payout", "epc");
        grant(metric, Grant.STAFF, "profit");

        Map<String, Grant> dimension = rows(t, Surface.DIMENSION);
        grant(dimension, Grant.ALL, "hour", "day", "week", "month", "offer", "goal", "country", "device_class");
        grant(dimension, Grant.REVENUE_SIDE, "advertiser");
        grant(dimension, Grant.AFFILIATE_IDENTITY, "affiliate", "link", "source");
        grant(dimension, Grant.AFFILIATE_IDENTITY, subs());

        Map<String, Grant> conversions = rows(t, Surface.CONVERSION_LOG);
        grant(conversions, Grant.ALL, "time", "kind", "conversion_id", "click_id", "status", "offer", "goal", "currency",
                "converted_currency", "fx_rate", "country", "device_class", "clicked_at", "status_history");
        // The sale as the advertiser reported it and as converted: a share of it is what both sides are paid.
        grant(conversions, Grant.ALL, "sale", "sale_currency", "original_sale", "original_currency", "sale_fx_rate",
                "sale_fx_source");
        // flagged: why a conversion is held as pending (a fraud rule in flag-only mode, or a review rule).
        grant(conversions, Grant.REVENUE_SIDE, "rejection_reason", "flagged", "advertiser", "transaction_id", "revenue", "revenue_converted");
        grant(conversions, Grant.PAYOUT_SIDE, "payout", "payout_converted");
        grant(conversions, Grant.AFFILIATE_IDENTITY, "affiliate", "link", "source");
        grant(conversions, Grant.AFFILIATE_IDENTITY, subs());

        Map<String, Grant> clicks = rows(t, Surface.CLICK_LOG);
        grant(clicks, Grant.ALL, "time", "click_id", "outcome", "fallback_reason", "offer", "country", "device_class");
        grant(clicks, Grant.REVENUE_SIDE, "advertiser");
        grant(clicks, Grant.AFFILIATE_IDENTITY, "affiliate", "link", "source");
        grant(clicks, Grant.AFFILIATE_IDENTITY, subs());

        // A balance is an affiliate's commissions: payout side as a whole.
        grant(rows(t, Surface.BALANCE), Grant.PAYOUT_SIDE, "balance");
        // The ledger's money: an affiliate's own accounts and its payouts' amounts are payout side; the
        // receivable (revenue), the margin and the FX position are the network's (LEDGER_FIELDS).
        Map<String, Grant> ledger = rows(t, Surface.LEDGER);
        grant(ledger, Grant.PAYOUT_SIDE, "affiliate_pending", "affiliate_available", "affiliate_in_payout", "affiliate_paid",
                "payout_amount", "payout_paid", "fx_rate");
        grant(ledger, Grant.STAFF, "advertiser_receivable", "network_margin", "fx_gain_loss");
        t.replaceAll((s, m) -> Collections.unmodifiableMap(m));
        return Collections.unmodifiableMap(t);
    }

    private static Map<String, Grant> rows(Map<Surface, Map<String, Grant>> t, Surface surface) {
        return t.computeIfAbsent(surface, s -> new LinkedHashMap<>());
    }

    private static void grant(Map<String, Grant> rows, Grant grant, String... names) {
        for (String n : names) {
            if (rows.put(n, grant) != null) {
                throw new IllegalStateException("field '" + n + "' granted twice");
            }
        }
    }

    private static String[] subs() {
        String[] subs = new String[10];
        for (int i = 0; i < 10; i++) {
            subs[i] = "sub" + (i + 1);
        }
        return subs;
    }

    private FieldGrants() {
    }

    public static boolean isStaff(Role role) {
        return role == Role.TENANT_ADMIN || role == Role.TENANT_ANALYST || role == Role.AUDITOR || role == Role.OPERATOR;
    }

    /** The grant of a field, empty when it has no row (then nobody sees it). */
    public static Optional<Grant> grant(Surface surface, String field) {
        return Optional.ofNullable(TABLE.get(surface).get(field));
    }

    /** Every row of the table, for the docs and the tests. */
    public static Map<Surface, Map<String, Grant>> table() {
        return TABLE;
    }

    /**
     * The table as Markdown, one line per surface and grant, for {@code docs/security.md} (a test keeps
     * the document equal to this).
     */
    public static String markdown() {
        StringBuilder out = new StringBuilder("| Where | Fields | Admin, analyst, auditor | Affiliate | Advertiser |\n"
                + "|---|---|---|---|---|\n");
        for (Map.Entry<Surface, Map<String, Grant>> surface : TABLE.entrySet()) {
            for (Grant grant : Grant.values()) {
                List<String> fields = surface.getValue().entrySet().stream().filter(e -> e.getValue() == grant)
                        .map(Map.Entry::getKey).toList();
                if (fields.isEmpty()) {
                    continue;
                }
                String advertiser = grant.visibleTo(Role.ADVERTISER, false) ? "yes"
                        : grant.visibleTo(Role.ADVERTISER, true) ? "if the tenant shares affiliate identities" : "no";
                out.append("| ").append(surface.getKey().name().toLowerCase().replace('_', ' ')).append(" | ")
                        .append(String.join(", ", fields)).append(" | yes | ")
                        .append(grant.visibleTo(Role.AFFILIATE, false) ? "yes (own traffic)" : "no").append(" | ")
                        .append(advertiser.equals("yes") ? "yes (own offers)" : advertiser).append(" |\n");
            }
        }
        return out.toString();
    }

    /** What one caller sees: its role and whether its tenant shares affiliate identities with advertisers. */
    public record Viewer(Role role, boolean tenantSharesAffiliates) {

        public static Viewer staff() {
            return new Viewer(Role.TENANT_ADMIN, false);
        }

        public boolean sees(Surface surface, String field) {
            return grant(surface, field).map(g -> g.visibleTo(role, tenantSharesAffiliates)).orElse(false);
        }

        /** Refuses a field this viewer asked for explicitly (a metric, a group, a filter). */
        public void require(Surface surface, String field, String parameter) {
            if (!sees(surface, field)) {
                throw new ApiProblem(HttpStatus.FORBIDDEN, "field-forbidden", "A " + role + " key may not see "
                        + what(surface) + " '" + field + "'.", Map.of("errors", Map.of(parameter, "not visible to " + role)));
            }
        }

        /** The columns of {@code columns} this viewer sees, in order. */
        public List<String> visible(Surface surface, List<String> columns) {
            List<String> out = new ArrayList<>();
            for (String c : columns) {
                if (sees(surface, c)) {
                    out.add(c);
                }
            }
            return out;
        }

        private static String what(Surface surface) {
            return switch (surface) {
                case METRIC -> "the metric";
                case DIMENSION -> "the dimension";
                case CONVERSION_LOG -> "the conversion log field";
                case CLICK_LOG -> "the click log field";
                case BALANCE -> "the";
                case LEDGER -> "the ledger field";
            };
        }
    }
}
