package io.affnet.query.payout;

import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.query.report.FieldGrants;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.affnet.query.config.ConfigEntityReads;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads of the money views: an affiliate's balances (at any instant), its ledger entries, payouts and
 * payout methods; the tenant's balances per account and currency; payout runs and their progress.
 * Affiliates see only their own, and only their own accounts' lines (never the receivable, margin or
 * FX lines of an entry); advertisers see nothing; auditors read everything.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
public class PayoutQueryController {

    static final int MAX_LIMIT = 500;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final PayoutReads reads;
    private final ConfigEntityReads entities;

    public PayoutQueryController(PayoutReads reads, ConfigEntityReads entities) {
        this.reads = reads;
        this.entities = entities;
    }

    public record AccountBalance(String account, String qualifier, long minor) {
    }

    public record CurrencyBalances(String currency, long pendingMinor, long availableMinor, long inPayoutMinor, long paidMinor,
                                   List<AccountBalance> accounts) {
    }

    public record AffiliateBalances(String affiliateId, Instant asOf, List<CurrencyBalances> balances) {
    }

    public record Line(String account, String qualifier, long minor) {
    }

    public record Entry(String entryId, String kind, String reference, String currency, Instant postedAt, List<Line> lines) {
    }

    public record EntryPage(List<Entry> entries, String nextCursor) {
    }

    @GetMapping("/api/v1/affiliates/{id}/ledger/balances")
    @Operation(summary = "An affiliate's ledger balances per currency (pending, available, in payout, paid) as of an instant",
            security = @SecurityRequirement(name = "bearer"))
    public AffiliateBalances balances(Caller caller, @PathVariable("id") String affiliateId,
                                      @RequestParam(value = "asOf", required = false) String asOf) {
        requireAffiliate(caller, affiliateId);
        Instant at = instant("asOf", asOf);
        Map<String, List<AccountBalance>> byCurrency = reads.affiliateAccounts(caller.tenantId().value(), affiliateId, at);
        List<CurrencyBalances> result = new ArrayList<>();
        byCurrency.forEach((currency, accounts) -> result.add(new CurrencyBalances(currency,
                sum(accounts, "AFFILIATE_PENDING"), sum(accounts, "AFFILIATE_AVAILABLE"), sum(accounts, "AFFILIATE_IN_PAYOUT"),
                sum(accounts, "AFFILIATE_PAID"), accounts)));
        return new AffiliateBalances(affiliateId, at, result);
    }

    @GetMapping("/api/v1/ledger/balances")
    @Operation(summary = "The tenant's ledger: every account's balance per currency as of an instant (tenant staff, auditors)",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> tenantBalances(Caller caller, @RequestParam(value = "asOf", required = false) String asOf) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        Instant at = instant("asOf", asOf);
        Map<String, List<AccountBalance>> byCurrency = reads.tenantAccounts(caller.tenantId().value(), at);
        return Map.of("asOf", at, "currencies", byCurrency);
    }

    @GetMapping("/api/v1/affiliates/{id}/ledger/entries")
    @Operation(summary = "An affiliate's ledger entries, oldest first, cursor-paginated", security = @SecurityRequirement(name = "bearer"))
    public EntryPage entries(Caller caller, @PathVariable("id") String affiliateId,
                             @RequestParam(value = "cursor", required = false) String cursor,
                             @RequestParam(value = "limit", required = false, defaultValue = "100") int limit) {
        requireAffiliate(caller, affiliateId);
        int size = Math.max(1, Math.min(limit, MAX_LIMIT));
        Instant afterAt = Instant.EPOCH;
        String afterEntry = "";
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
                afterAt = Instant.parse(parts[0]);
                afterEntry = parts[1];
            } catch (RuntimeException e) {
                throw ApiProblem.invalid("cursor", "cursor is not one this API returned");
            }
        }
        FieldGrants.Viewer viewer = new FieldGrants.Viewer(caller.role(), false);
        List<String[]> ids = reads.entryKeys(caller.tenantId().value(), affiliateId, afterAt, afterEntry, size + 1);
        boolean more = ids.size() > size;
        if (more) {
            ids = ids.subList(0, size);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!ids.isEmpty()) {
            ids.forEach(id -> entries.put(id[1], null));
            for (PayoutReads.LedgerLine line : reads.lines(caller.tenantId().value(), ids.stream().map(id -> id[1]).toList())) {
                Entry e = entries.get(line.entryId());
                if (e == null) {
                    e = new Entry(line.entryId(), line.kind(), line.reference(), line.currency(), line.postedAt(), new ArrayList<>());
                    entries.put(line.entryId(), e);
                }
                if (viewer.sees(FieldGrants.Surface.LEDGER, line.account().toLowerCase(java.util.Locale.ROOT))) {
                    e.lines().add(new Line(line.account(), line.qualifier(), line.minor()));
                }
            }
        }
        String next = null;
        if (more) {
            String[] last = ids.get(ids.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((last[0] + "\n" + last[1]).getBytes(StandardCharsets.UTF_8));
        }
        return new EntryPage(new ArrayList<>(entries.values()), next);
    }

    public record Payout(String payoutId, String runId, String affiliateId, String processor, String destination,
                         Long amountMinor, String amountCurrency, Long paidMinor, String paidCurrency, String fxRate,
                         String fxSource, Instant fxQuotedAt, String state, String reference, String reason, Instant updatedAt) {
    }

    @GetMapping("/api/v1/payouts/{id}")
    @Operation(summary = "A payout and its state at the processor", security = @SecurityRequirement(name = "bearer"))
    public Payout payout(Caller caller, @PathVariable("id") String payoutId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE);
        return reads.payout(caller.tenantId().value(), payoutId)
                .filter(p -> caller.role() != Role.AFFILIATE || p.affiliateId().equals(caller.principalId()))
                .orElseThrow(() -> ApiProblem.notFound("Payout"));
    }

    @GetMapping("/api/v1/affiliates/{id}/payouts")
    @Operation(summary = "An affiliate's payouts, newest first", security = @SecurityRequirement(name = "bearer"))
    public List<Payout> affiliatePayouts(Caller caller, @PathVariable("id") String affiliateId) {
        requireAffiliate(caller, affiliateId);
        return reads.payoutsOfAffiliate(caller.tenantId().value(), affiliateId);
    }

    public record Method(String methodId, String processor, String destination, String currency, String country,
                         String status, boolean isDefault, Instant updatedAt) {
    }

    @GetMapping("/api/v1/affiliates/{id}/payout-methods")
    @Operation(summary = "An affiliate's payout methods (destinations masked)", security = @SecurityRequirement(name = "bearer"))
    public List<Method> methods(Caller caller, @PathVariable("id") String affiliateId) {
        requireAffiliate(caller, affiliateId);
        return reads.methods(caller.tenantId().value(), affiliateId);
    }

    public record RunSummary(String runId, String status, String periodFrom, String periodTo, String createdBy,
                             String approvedBy, Instant createdAt) {
    }

    public record StateCount(String state, long payouts, Map<String, Long> paidMinorByCurrency) {
    }

    public record RunDetail(RunSummary run, List<Map<String, Object>> items, List<StateCount> progress) {
    }

    @GetMapping("/api/v1/payout-runs")
    @Operation(summary = "The tenant's payout runs, newest first (tenant staff, auditors)", security = @SecurityRequirement(name = "bearer"))
    public List<RunSummary> runs(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        return reads.runs(caller.tenantId().value());
    }

    @GetMapping("/api/v1/payout-runs/{id}")
    @Operation(summary = "A payout run, its items and its progress (payouts and amounts by state)",
            security = @SecurityRequirement(name = "bearer"))
    public RunDetail run(Caller caller, @PathVariable("id") String runId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        String tenantId = caller.tenantId().value();
        RunSummary run = reads.run(tenantId, runId).orElseThrow(() -> ApiProblem.notFound("Payout run"));
        List<Map<String, Object>> items = reads.runItems(tenantId, runId);
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Map<String, Long>> amounts = new TreeMap<>();
        for (Map<String, Object> item : items) {
            String state = (String) item.get("state");
            counts.merge(state, 1L, Long::sum);
            amounts.computeIfAbsent(state, s -> new TreeMap<>())
                    .merge((String) item.get("paidCurrency"), (Long) item.get("paidMinor"), Math::addExact);
        }
        List<StateCount> progress = new ArrayList<>();
        counts.forEach((state, n) -> progress.add(new StateCount(state, n, amounts.get(state))));
        return new RunDetail(run, items, progress);
    }

    /** Payout destinations are shown by their last four characters only. */
    static String mask(String destination) {
        if (destination == null) {
            return null;
        }
        return destination.length() <= 4 ? "****" : "****" + destination.substring(destination.length() - 4);
    }

    private static long sum(List<AccountBalance> accounts, String account) {
        return accounts.stream().filter(a -> a.account().equals(account)).mapToLong(AccountBalance::minor)
                .reduce(0L, Math::addExact);
    }

    static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return Instant.now();
        }
        Instant at;
        try {
            at = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, field + " must be an ISO-8601 instant such as 2026-01-31T23:59:59Z");
        }
        if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
            throw ApiProblem.invalid(field, field + " must be between 1970 and 9999");
        }
        return at;
    }

    void requireAffiliate(Caller caller, String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE);
        if (caller.role() == Role.AFFILIATE && !affiliateId.equals(caller.principalId())) {
            throw ApiProblem.notFound("Affiliate");
        }
        if (!entities.exists(caller.tenantId().value(), ConfigEntityKinds.AFFILIATE, affiliateId)) {
            throw ApiProblem.notFound("Affiliate");
        }
    }
}
