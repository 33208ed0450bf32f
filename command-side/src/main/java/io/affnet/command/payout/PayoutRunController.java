package io.affnet.command.payout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.MoneyJson;
import io.affnet.web.problem.FieldErrors;
import io.affnet.api.common.Money;
import io.affnet.api.common.Role;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.payout.ApprovePayoutRunCommand;
import io.affnet.api.payout.CancelPayoutRunCommand;
import io.affnet.api.payout.CreatePayoutRunCommand;
import io.affnet.api.payout.FxQuote;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.PayoutSchedule;
import io.affnet.api.payout.PayoutTerms;
import io.affnet.api.payout.SetPayoutTermsCommand;
import io.affnet.command.postback.ExchangeRates;
import io.affnet.domain.payout.Fx;
import io.affnet.domain.payout.PayoutRules;
import io.affnet.domain.payout.PayoutRunStateException;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Payout runs (preview, approve, cancel) and the tenant's payout terms; only tenant admins, except that staff
 * (admins, analysts, auditors) read the terms back. Other reads (runs, progress, payouts) are on the query side.
 */
@RestController
@RequestMapping("/api/v1")
@Access(Role.TENANT_ADMIN)
public class PayoutRunController {

    private static final java.util.regex.Pattern AFFILIATE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final CommandGateway commands;
    private final PayoutRunReads reads;
    private final ExchangeRates rates;
    private final Clock clock;

    public PayoutRunController(CommandGateway commands, PayoutRunReads reads, ExchangeRates rates, Clock clock) {
        this.commands = commands;
        this.reads = reads;
        this.rates = rates;
        this.clock = clock;
    }

    /** {@code period} as {@code from}/{@code to} dates (UTC, inclusive); {@code affiliateIds} optionally narrows the run. */
    @Schema(description = "The period a payout run pays for, and optionally which affiliates.")
    public record RunRequest(
            @Schema(description = "First day of the period (UTC, inclusive).", example = "2026-11-01", requiredMode = Schema.RequiredMode.REQUIRED) LocalDate from,
            @Schema(description = "Last day of the period (UTC, inclusive).", example = "2026-11-30", requiredMode = Schema.RequiredMode.REQUIRED) LocalDate to,
            @Schema(description = "Only these affiliates; left out = every affiliate with an available balance.", example = "[\"aff_3f9c2a\"]", requiredMode = Schema.RequiredMode.NOT_REQUIRED) List<String> affiliateIds) {
    }

    public record RunPreview(String runId, String status, LocalDate from, LocalDate to, List<PayoutRunItem> items) {
    }

    @Schema(description = "The tenant's payout terms: holds, schedule, minimums and the negative-balance rule.")
    public record TermsRequest(
            @Schema(description = "Hold before earnings become available, an ISO-8601 duration (default P30D).", example = "P30D", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String defaultHold,
            @Schema(description = "Per-offer holds (offer id to ISO-8601 duration) that override the default.", example = "{\"off_3f9c2a\":\"P14D\"}", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Map<String, String> offerHolds,
            @Schema(description = "WEEKLY, MONTHLY or NET (NET-n days after the period ends).", example = "MONTHLY", requiredMode = Schema.RequiredMode.NOT_REQUIRED) PayoutSchedule schedule,
            @Schema(description = "n of a NET-n schedule, in days.", example = "30", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Integer netDays,
            @Schema(description = "Minimum payout per currency: ISO-4217 code to a decimal string with at most the currency's decimals "
                    + "(MoneyJson); a JSON number is refused. Left out = one minor unit.", example = "{\"EUR\":\"25.00\",\"JPY\":\"3000\"}",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Map<String, JsonNode> minimum,
            @Schema(description = "Whether a negative available balance (a reversal after payout) blocks an affiliate's payouts.", example = "true", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean negativeBalanceBlocks) {
    }

    @Schema(description = "The tenant's payout terms as PUT /api/v1/payout-terms takes them, all fields filled in.")
    public record TermsView(
            @Schema(description = "Hold before earnings become available, an ISO-8601 duration (whole days as PnD).", example = "P30D") String defaultHold,
            @Schema(description = "Per-offer holds (offer id to ISO-8601 duration).", example = "{\"off_3f9c2a\":\"P14D\"}") Map<String, String> offerHolds,
            @Schema(description = "WEEKLY, MONTHLY or NET.", example = "MONTHLY") PayoutSchedule schedule,
            @Schema(description = "n of a NET-n schedule, in days (0 otherwise).", example = "0") int netDays,
            @Schema(description = "Minimum payout per currency: ISO-4217 code to a decimal string with all the currency's decimals; "
                    + "a currency left out has a minimum of one minor unit.", example = "{\"EUR\":\"25.00\",\"JPY\":\"3000\"}") Map<String, String> minimum,
            @Schema(description = "Whether a negative available balance blocks an affiliate's payouts.", example = "true") boolean negativeBalanceBlocks,
            @JsonProperty("default") @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Present (true) only when the tenant never set its terms: these are the defaults.", example = "true",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean isDefault) {

        static TermsView of(PayoutTerms terms, boolean isDefault) {
            Map<String, String> holds = new TreeMap<>();
            terms.offerHolds().forEach((offer, hold) -> holds.put(offer, iso(hold)));
            Map<String, String> minimum = new TreeMap<>();
            terms.minimumMinor().forEach((currency, minor) -> minimum.put(currency, MoneyJson.amount(minor, currency)));
            return new TermsView(iso(terms.defaultHold()), holds, terms.schedule(), terms.netDays(), minimum,
                    terms.negativeBalanceBlocks(), isDefault ? Boolean.TRUE : null);
        }

        /** Whole days as {@code P30D} (what tenants send), the rest as {@link Duration#toString()} with the days first. */
        static String iso(Duration d) {
            long days = d.toDays();
            Duration rest = d.minusDays(days);
            if (days == 0) {
                return rest.toString();
            }
            return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
        }
    }

    @PostMapping("/payout-runs")
    @Operation(summary = "Preview a payout run for a period (tenant admin): who gets what, in which currency, through which processor",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<RunPreview> create(Caller caller, @RequestBody RunRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.from() == null || request.to() == null) {
            throw ApiProblem.invalid("period", "from and to (dates) are required");
        }
        if (request.from().getYear() < 1970 || request.to().getYear() > 9998) {
            throw ApiProblem.invalid("period", "from and to must be between 1970 and 9998");
        }
        if (request.to().isBefore(request.from())) {
            throw ApiProblem.invalid("to", "to must not be before from");
        }
        Instant now = clock.instant();
        Instant periodEnd = request.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (periodEnd.isAfter(now)) {
            periodEnd = now;
        }
        String tenantId = caller.tenantId().value();
        PayoutTerms terms = terms(tenantId);
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        Set<String> only = request.affiliateIds() == null ? Set.of() : new HashSet<>(request.affiliateIds());
        if (only.size() > 10_000 || only.stream().anyMatch(id -> id == null || !AFFILIATE_ID.matcher(id).matches())) {
            throw ApiProblem.invalid("affiliateIds", "affiliateIds holds at most 10000 affiliate ids");
        }
        List<PayoutRules.Available> balances = available(tenantId, periodEnd);
        List<PayoutRunItem> items = new ArrayList<>();
        for (PayoutRunItem item : PayoutRules.plan(runId, balances, defaultMethods(tenantId), terms, only)) {
            items.add(quoted(item, now));
        }
        commands.sendAndWait(new CreatePayoutRunCommand(runId, caller.tenantId(), request.from(), request.to(),
                only.isEmpty() ? null : String.join(",", new java.util.TreeSet<>(only)), items,
                terms.negativeBalanceBlocks(), caller.principalId(), now));
        return ResponseEntity.status(HttpStatus.CREATED).body(new RunPreview(runId, "PREVIEW", request.from(), request.to(), items));
    }

    @PostMapping("/payout-runs/{id}/approve")
    @Operation(summary = "Approve a previewed payout run (tenant admin): FX rates are quoted now and each item is paid by a saga",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> approve(Caller caller, @PathVariable("id") String runId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        List<PayoutRunItem> items = runItems(caller, runId);
        Instant now = clock.instant();
        Map<String, FxQuote> quotes = new HashMap<>();
        for (PayoutRunItem item : items) {
            if (!item.amount().currency().equals(item.paid().currency())) {
                quotes.put(item.payoutId(), quote(item.amount().currency(), item.paid().currency(), now));
            }
        }
        try {
            commands.sendAndWait(new ApprovePayoutRunCommand(runId, caller.tenantId(), quotes, caller.principalId(), now));
        } catch (PayoutRunStateException e) {
            throw ApiProblem.conflict("payout-run-state", e.getMessage());
        } catch (AggregateNotFoundException e) {
            throw ApiProblem.notFound("Payout run");
        }
        return Map.of("runId", runId, "status", "APPROVED", "payouts", items.size());
    }

    @PostMapping("/payout-runs/{id}/cancel")
    @Operation(summary = "Cancel a previewed payout run (tenant admin)", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> cancel(Caller caller, @PathVariable("id") String runId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        runItems(caller, runId);
        try {
            commands.sendAndWait(new CancelPayoutRunCommand(runId, caller.tenantId(), caller.principalId(), clock.instant()));
        } catch (PayoutRunStateException e) {
            throw ApiProblem.conflict("payout-run-state", e.getMessage());
        } catch (AggregateNotFoundException e) {
            throw ApiProblem.notFound("Payout run");
        }
        return Map.of("runId", runId, "status", "CANCELLED");
    }

    @GetMapping("/payout-terms")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
    @Operation(summary = "The tenant's payout terms in the shape PUT takes (staff); \"default\": true when it never set any",
            security = @SecurityRequirement(name = "bearer"))
    public TermsView getTerms(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        return reads.storedTerms(caller.tenantId().value()).map(terms -> TermsView.of(terms, false))
                .orElseGet(() -> TermsView.of(PayoutTerms.defaults(), true));
    }

    @PutMapping("/payout-terms")
    @Operation(summary = "Set the tenant's payout terms (tenant admin): hold periods (ISO-8601 durations), schedule, minimums, negative-balance rule",
            security = @SecurityRequirement(name = "bearer"))
    public TermsRequest setTerms(Caller caller, @RequestBody TermsRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null) {
            throw ApiProblem.invalid("body", "a JSON body is required");
        }
        PayoutTerms defaults = PayoutTerms.defaults();
        Map<String, Duration> offerHolds = new HashMap<>();
        if (request.offerHolds() != null) {
            request.offerHolds().forEach((offer, hold) -> offerHolds.put(offer, duration("offerHolds." + offer, hold)));
        }
        PayoutTerms terms = new PayoutTerms(
                request.defaultHold() == null ? defaults.defaultHold() : duration("defaultHold", request.defaultHold()),
                offerHolds, request.schedule() == null ? defaults.schedule() : request.schedule(),
                request.netDays() == null ? 0 : request.netDays(), minimums(request.minimum()),
                request.negativeBalanceBlocks() == null ? defaults.negativeBalanceBlocks() : request.negativeBalanceBlocks());
        try {
            PayoutRules.validate(terms);
        } catch (PayoutRunStateException e) {
            throw ApiProblem.invalid("terms", e.getMessage());
        }
        commands.sendAndWait(new SetPayoutTermsCommand(SetPayoutTermsCommand.idOf(caller.tenantId()), caller.tenantId(), terms,
                caller.principalId(), clock.instant()));
        return request;
    }

    /**
     * The minimums in minor units. Each must be a decimal string exact in its currency ("25.00" EUR, "3000" JPY):
     * a JSON number is refused, since 2500 meant as cents would otherwise silently be 2,500.00.
     */
    private static Map<String, Long> minimums(Map<String, JsonNode> minimum) {
        Map<String, Long> minor = new HashMap<>();
        if (minimum == null) {
            return minor;
        }
        FieldErrors errors = new FieldErrors();
        minimum.forEach((currency, value) -> {
            String field = "minimum." + currency;
            if (value == null || !value.isTextual()) {
                errors.add(field, field + " must be a decimal string such as \"25.00\" (got " + (value == null ? "null" : value.getNodeType()
                        .name().toLowerCase(java.util.Locale.ROOT)) + ")");
                return;
            }
            Money money = errors.convert(field, () -> MoneyJson.money(field, value.asText(), currency, false));
            if (money != null) {
                minor.put(money.currency(), money.minor());
            }
        });
        errors.throwIfAny();
        return minor;
    }

    private static Duration duration(String field, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiProblem.invalid(field, field + " must be an ISO-8601 duration such as P30D or PT10S");
        }
    }

    private PayoutRunItem quoted(PayoutRunItem item, Instant now) {
        if (item.amount().currency().equals(item.paid().currency())) {
            return item;
        }
        FxQuote quote = quote(item.amount().currency(), item.paid().currency(), now);
        Money paid = Fx.convert(item.amount(), quote);
        return new PayoutRunItem(item.payoutId(), item.affiliateId(), item.processor(), item.methodId(), item.destination(),
                item.recipientType(), item.amount(), paid, quote);
    }

    private FxQuote quote(String from, String to, Instant now) {
        ExchangeRate rate = rates.rate(from, to).orElseThrow(() -> ApiProblem.conflict("no-exchange-rate",
                "No exchange rate from " + from + " to " + to + " is configured"));
        return new FxQuote(from, to, rate.rate(), now, rate.source());
    }

    private List<PayoutRunItem> runItems(Caller caller, String runId) {
        if (!reads.runExists(caller.tenantId().value(), runId)) {
            throw ApiProblem.notFound("Payout run");
        }
        return reads.runItems(caller.tenantId().value(), runId);
    }

    private List<PayoutRules.Available> available(String tenantId, Instant asOf) {
        return reads.available(tenantId, asOf);
    }

    private Map<String, PayoutMethod> defaultMethods(String tenantId) {
        return reads.defaultMethods(tenantId);
    }

    private PayoutTerms terms(String tenantId) {
        return reads.terms(tenantId);
    }
}
