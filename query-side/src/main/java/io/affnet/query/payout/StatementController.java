package io.affnet.query.payout;

import io.affnet.api.common.Role;
import io.affnet.query.report.CsvWriter;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An affiliate's statement for a period (UTC dates, inclusive), per currency: the available-plus-
 * pending balance at the start, each movement of its own accounts itemised (commissions, reversals,
 * payouts with their FX rate, failed or returned payouts), fees, and the balance at the end. JSON, or
 * CSV with {@code format=csv}. The affiliate's own key may download it; revenue and margin never
 * appear.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
public class StatementController {

    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private final PayoutReads reads;
    private final PayoutQueryController access;

    public StatementController(PayoutReads reads, PayoutQueryController access) {
        this.reads = reads;
        this.access = access;
    }

    /** One movement of the affiliate's money; {@code category} is commission, adjustment (of an approved commission), reversal, payout, payout_failed, payout_returned. */
    public record Item(Instant postedAt, String category, String reference, String currency, long minor, String fxRate,
                       String paidCurrency, Long paidMinor) {
    }

    public record Section(String currency, long openingMinor, long commissionsMinor, long reversalsMinor, long feesMinor,
                          long paidOutMinor, long returnedMinor, long closingMinor) {
    }

    public record Statement(String affiliateId, LocalDate from, LocalDate to, List<Section> currencies, List<Item> items) {
    }

    @GetMapping("/api/v1/affiliates/{id}/statements")
    @Operation(summary = "An affiliate's itemised statement for a period (JSON, or CSV with format=csv)",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<?> statement(Caller caller, @PathVariable("id") String affiliateId,
                                       @RequestParam("from") String from, @RequestParam("to") String to,
                                       @RequestParam(value = "format", required = false, defaultValue = "json") String format) {
        access.requireAffiliate(caller, affiliateId);
        LocalDate fromDate = date("from", from);
        LocalDate toDate = date("to", to);
        if (toDate.isBefore(fromDate) || toDate.isAfter(fromDate.plusYears(5))) {
            throw ApiProblem.invalid("to", "to must be on or after from, within five years");
        }
        if (!format.equals("json") && !format.equals("csv")) {
            throw ApiProblem.invalid("format", "format must be json or csv");
        }
        Statement statement = build(caller.tenantId().value(), affiliateId, fromDate, toDate);
        if (format.equals("json")) {
            return ResponseEntity.ok(statement);
        }
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"statement-" + affiliateId + "-" + fromDate
                        + "-" + toDate + ".csv\"")
                .body(csv(statement));
    }

    Statement build(String tenantId, String affiliateId, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, Long> opening = reads.owedBefore(tenantId, affiliateId, start);
        // Each entry's effect on what the affiliate is owed (pending + available), by kind.
        List<Item> items = reads.owedMovements(tenantId, affiliateId, start, end).stream()
                .map(m -> {
                    boolean payout = m.kind().startsWith("PAYOUT_");
                    return new Item(m.postedAt(), category(m.kind()), m.reference(), m.currency(), m.minor(),
                            payout ? m.fxRate() : null, payout ? m.paidCurrency() : null, payout ? m.paidMinor() : null);
                })
                .toList();
        Map<String, long[]> sums = new TreeMap<>();
        opening.keySet().forEach(c -> sums.put(c, new long[5]));
        for (Item item : items) {
            long[] s = sums.computeIfAbsent(item.currency(), c -> new long[5]);
            int slot = switch (item.category()) {
                case "commission", "adjustment" -> 0;
                case "reversal" -> 1;
                case "payout" -> 3;
                default -> 4;
            };
            s[slot] = Math.addExact(s[slot], item.minor());
        }
        List<Section> sections = new ArrayList<>();
        sums.forEach((currency, s) -> {
            long open = opening.getOrDefault(currency, 0L);
            long close = open;
            for (long v : s) {
                close = Math.addExact(close, v);
            }
            sections.add(new Section(currency, open, s[0], s[1], s[2], s[3], s[4], close));
        });
        return new Statement(affiliateId, from, to, sections, items);
    }

    private static String category(String kind) {
        return switch (kind) {
            case "EARNING" -> "commission";
            case "ADJUSTMENT" -> "adjustment";
            case "REVERSAL" -> "reversal";
            case "PAYOUT_RESERVED" -> "payout";
            case "PAYOUT_FAILED" -> "payout_failed";
            default -> "payout_returned";
        };
    }

    private static String csv(Statement statement) {
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out);
        try {
            csv.row(List.of("posted_at", "category", "reference", "currency", "amount_minor", "fx_rate", "paid_currency",
                    "paid_minor"));
            for (Item i : statement.items()) {
                List<Object> row = new ArrayList<>();
                row.add(i.postedAt());
                row.add(i.category());
                row.add(i.reference());
                row.add(i.currency());
                row.add(i.minor());
                row.add(i.fxRate());
                row.add(i.paidCurrency());
                row.add(i.paidMinor());
                csv.row(row);
            }
            for (Section s : statement.currencies()) {
                Map<String, Long> totals = new LinkedHashMap<>();
                totals.put("opening", s.openingMinor());
                totals.put("commissions", s.commissionsMinor());
                totals.put("reversals", s.reversalsMinor());
                totals.put("fees", s.feesMinor());
                totals.put("paid_out", s.paidOutMinor());
                totals.put("returned", s.returnedMinor());
                totals.put("closing", s.closingMinor());
                for (Map.Entry<String, Long> t : totals.entrySet()) {
                    List<Object> row = new ArrayList<>();
                    row.add(statement.to().toString());
                    row.add("total_" + t.getKey());
                    row.add("");
                    row.add(s.currency());
                    row.add(t.getValue());
                    row.add(null);
                    row.add(null);
                    row.add(null);
                    csv.row(row);
                }
            }
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static LocalDate date(String field, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiProblem.invalid(field, field + " must be a date such as 2026-01-31");
        }
        if (date.getYear() < 1970 || date.getYear() > 9998) {
            throw ApiProblem.invalid(field, field + " must be between 1970 and 9998");
        }
        return date;
    }
}
