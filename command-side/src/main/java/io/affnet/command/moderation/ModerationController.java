package io.affnet.command.moderation;

import io.affnet.api.common.Role;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ModerateConversionCommand;
import io.affnet.api.conversion.ModerationAction;
import io.affnet.api.common.CommandRejection;
import io.affnet.command.postback.PostbackCredentials;
import io.affnet.domain.click.Moderated;
import io.affnet.domain.click.ModerationRefusedException;
import io.affnet.domain.click.ModerationRequests;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.problem.ApiInstants;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network moderates conversions (docs/audit.md): tenant admins, and advertisers for their own offers
 * where the tenant allows it, approve, reject, reverse or adjust a conversion, one at a time or in bulk
 * by filter. Each moderation is a command to the conversion's click, decided there as a postback's
 * status change is; a bulk moderation is atomic per conversion and answers what happened to each.
 */
@RestController
@RequestMapping("/api/v1/conversions")
@Access({Role.TENANT_ADMIN, Role.ADVERTISER})
public class ModerationController {

    static final int MAX_BULK = 1000;

    private final CommandGateway commands;
    private final ConversionModerations view;
    private final PostbackCredentials credentials;
    private final Clock clock;

    public ModerationController(CommandGateway commands, ConversionModerations view, PostbackCredentials credentials,
                                Clock clock) {
        this.commands = commands;
        this.view = view;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Schema(description = "Why, and for ADJUST the new amounts in the offer's currency (null keeps an amount).")
    public record ModerationRequest(
            @Schema(description = "Required except to approve; kept in the audit trail.", example = "order cancelled")
            @Size(max = ModerationRequests.MAX_REASON) String reason,
            @Schema(description = "ADJUST only: the new revenue", example = "12.50") BigDecimal revenue,
            @Schema(description = "ADJUST only: the new payout (tenant admins only)", example = "4.00") BigDecimal payout) {
    }

    @Schema(description = "Which of the tenant's conversions a bulk moderation selects; every field narrows, at least one is required.")
    public record BulkFilter(
            @Schema(description = "These conversions by id (at most 1000)", example = "[\"cv_9f2c4e1a\"]")
            @Size(max = MAX_BULK) List<@NotNull @Size(min = 1, max = 64) String> conversionIds,
            @Schema(description = "Only conversions in this status", example = "PENDING") ConversionStatus status,
            @Schema(description = "Only conversions of this offer", example = "off_1a2b3c") @Size(max = 64) String offerId,
            @Schema(description = "Only conversions of this affiliate", example = "aff_4d5e6f") @Size(max = 64) String affiliateId,
            @Schema(description = "true: only conversions a review rule held; false: only the others", example = "true") Boolean held,
            @Schema(description = "converted at or after (ISO-8601)", example = "2026-12-01T00:00:00Z") Instant from,
            @Schema(description = "converted before (ISO-8601)", example = "2026-12-06T00:00:00Z") Instant to) {

        boolean empty() {
            return (conversionIds == null || conversionIds.isEmpty()) && status == null && offerId == null
                    && affiliateId == null && held == null && from == null && to == null;
        }
    }

    @Schema(description = "One moderation applied to every conversion the filter selects (each on its own: one refusal stops no other).")
    public record BulkRequest(
            @Schema(description = "What to do to each selected conversion", example = "APPROVE") @NotNull ModerationAction action,
            @Schema(description = "Required except to approve; kept in the audit trail", example = "advertiser confirmed the orders")
            @Size(max = ModerationRequests.MAX_REASON) String reason,
            @Schema(description = "ADJUST only: the new revenue", example = "12.50") BigDecimal revenue,
            @Schema(description = "ADJUST only: the new payout (tenant admins only)", example = "4.00") BigDecimal payout,
            @NotNull @Valid BulkFilter filter,
            @Schema(description = "most conversions to moderate (1-1000, default 1000)", example = "100") @Min(1) @Max(MAX_BULK) Integer limit) {
    }

    @PostMapping("/{conversionId}/approve")
    @Operation(summary = "Approve a pending conversion (tenant admin; advertiser for its offers if the tenant allows)",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> approve(Caller caller, @PathVariable("conversionId") String conversionId,
                                       @Valid @RequestBody(required = false) ModerationRequest request) {
        return one(caller, conversionId, ModerationAction.APPROVE, request);
    }

    @PostMapping("/{conversionId}/reject")
    @Operation(summary = "Reject a pending conversion with a reason", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> reject(Caller caller, @PathVariable("conversionId") String conversionId,
                                      @Valid @RequestBody(required = false) ModerationRequest request) {
        return one(caller, conversionId, ModerationAction.REJECT, request);
    }

    @PostMapping("/{conversionId}/reverse")
    @Operation(summary = "Reverse an approved conversion with a reason", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> reverse(Caller caller, @PathVariable("conversionId") String conversionId,
                                       @Valid @RequestBody(required = false) ModerationRequest request) {
        return one(caller, conversionId, ModerationAction.REVERSE, request);
    }

    @PostMapping("/{conversionId}/adjust")
    @Operation(summary = "Adjust the revenue or payout of a pending or approved conversion (an approved one moves the ledger by the difference), with a reason",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> adjust(Caller caller, @PathVariable("conversionId") String conversionId,
                                      @Valid @RequestBody(required = false) ModerationRequest request) {
        return one(caller, conversionId, ModerationAction.ADJUST, request);
    }

    @PostMapping("/moderation")
    @Operation(summary = "Moderate the conversions a filter selects (each on its own: atomic per conversion); answers counts "
            + "and each conversion's outcome", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> bulk(Caller caller, @Valid @RequestBody BulkRequest request) {
        String scope = scope(caller, request.action(), request.payout());
        valid(request.action(), request.reason(), request.revenue(), request.payout());
        if (request.filter().empty()) {
            throw ApiProblem.invalid("filter", "name at least one of conversionIds, status, offerId, affiliateId, held, from, to");
        }
        checkInstant("filter.from", request.filter().from());
        checkInstant("filter.to", request.filter().to());
        BulkFilter f = request.filter();
        List<ConversionModerations.Row> rows = view.select(caller.tenantId().value(), new ConversionModerations.Filter(
                f.conversionIds(), f.status() == null ? null : f.status().name(), f.offerId(), f.affiliateId(), scope,
                f.held(), f.from(), f.to()), request.limit() == null ? MAX_BULK : request.limit());
        int moderated = 0;
        Map<String, Integer> refused = new LinkedHashMap<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (ConversionModerations.Row row : rows) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("conversionId", row.conversionId());
            try {
                Moderated done = send(caller, scope, row, request.action(), request.reason(), request.revenue(), request.payout());
                result.put("outcome", "moderated");
                result.put("to", done.to());
                moderated++;
            } catch (CommandExecutionException | org.axonframework.modelling.command.ConcurrencyException e) {
                CommandRejection rejection = rejection(e);
                result.put("outcome", "refused");
                result.put("type", rejection.type());
                result.put("detail", rejection.detail());
                refused.merge(rejection.type(), 1, Integer::sum);
            }
            results.add(result);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("action", request.action());
        answer.put("matched", rows.size());
        answer.put("moderated", moderated);
        answer.put("refused", rows.size() - moderated);
        answer.put("refusedByType", refused);
        answer.put("results", results);
        return answer;
    }

    @GetMapping("/moderation")
    @Operation(summary = "The conversions moderation sees (the review queue: ?held=true&status=PENDING), oldest first",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> list(Caller caller, @RequestParam(name = "status", required = false) ConversionStatus status,
                                    @RequestParam(name = "held", required = false) Boolean held,
                                    @RequestParam(name = "offerId", required = false) String offerId,
                                    @RequestParam(name = "affiliateId", required = false) String affiliateId,
                                    @RequestParam(name = "from", required = false) Instant from,
                                    @RequestParam(name = "to", required = false) Instant to,
                                    @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_BULK) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_BULK);
        }
        checkInstant("from", from);
        checkInstant("to", to);
        checkId("offerId", offerId);
        checkId("affiliateId", affiliateId);
        String scope = scope(caller, null, null);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ConversionModerations.Row row : view.select(caller.tenantId().value(), new ConversionModerations.Filter(null,
                status == null ? null : status.name(), offerId, affiliateId, scope, held, from, to), limit)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("conversionId", row.conversionId());
            item.put("clickId", row.clickId());
            item.put("offerId", row.offerId());
            item.put("advertiserId", row.advertiserId());
            item.put("goal", row.goal());
            item.put("status", row.status());
            item.put("held", row.held());
            item.put("currency", row.currency());
            item.put("revenue", major(row.revenueMinor(), row.currency()));
            if (scope == null) {
                // An advertiser sees neither who earned the conversion nor what they earn.
                item.put("affiliateId", row.affiliateId());
                item.put("payout", major(row.payoutMinor(), row.currency()));
            }
            item.put("convertedAt", row.convertedAt());
            items.add(item);
        }
        return Map.of("items", items);
    }

    private Map<String, Object> one(Caller caller, String conversionId, ModerationAction action, ModerationRequest request) {
        ModerationRequest r = request == null ? new ModerationRequest(null, null, null) : request;
        String scope = scope(caller, action, r.payout());
        valid(action, r.reason(), r.revenue(), r.payout());
        ConversionModerations.Row row = view.find(caller.tenantId().value(), conversionId)
                .filter(found -> scope == null || scope.equals(found.advertiserId()))
                .orElseThrow(() -> ApiProblem.notFound("conversion"));
        Moderated done = send(caller, scope, row, action, r.reason(), r.revenue(), r.payout());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("conversionId", done.conversionId());
        answer.put("action", action);
        answer.put("from", done.from());
        answer.put("to", done.to());
        answer.put("currency", done.revenue().currency());
        answer.put("revenue", done.revenue().toMajor().toPlainString());
        if (scope == null) {
            answer.put("payout", done.payout().toMajor().toPlainString());
        }
        return answer;
    }

    private Moderated send(Caller caller, String scope, ConversionModerations.Row row, ModerationAction action, String reason,
                           BigDecimal revenue, BigDecimal payout) {
        return commands.sendAndWait(new ModerateConversionCommand(row.clickId(), caller.tenantId(), row.conversionId(),
                action, reason, revenue, payout, caller.principalId(), caller.role().name(), scope, clock.instant()));
    }

    /**
     * Null for a tenant admin; for an advertiser its own id, if the tenant lets advertisers moderate
     * (otherwise, and for a payout adjustment, 403).
     */
    private String scope(Caller caller, ModerationAction action, BigDecimal payout) {
        if (caller.role() != Role.ADVERTISER) {
            return null;
        }
        if (!credentials.settings(caller.tenantId().value()).reviewRules().advertisersModerate()) {
            throw new ForbiddenException("This tenant does not let advertisers moderate conversions.");
        }
        if (action == ModerationAction.ADJUST && payout != null) {
            throw new ForbiddenException("An advertiser adjusts the revenue, not the affiliate's payout.");
        }
        return caller.principalId();
    }

    private static void valid(ModerationAction action, String reason, BigDecimal revenue, BigDecimal payout) {
        try {
            ModerationRequests.check(action, reason, revenue, payout);
        } catch (ModerationRefusedException.Invalid e) {
            throw ApiProblem.invalid(e.field(), e.getMessage());
        }
    }

    /** Why the click refused; a concurrent change of the same click (a postback in the same instant) asks for a retry. */
    private static CommandRejection rejection(RuntimeException e) {
        if (e instanceof CommandExecutionException c && c.getDetails().orElse(null) instanceof CommandRejection rejection) {
            return rejection;
        }
        return CommandRejection.conflict("concurrent-change", "the conversion changed at the same time; retry");
    }

    private static String major(long minor, String currency) {
        return new io.affnet.api.common.Money(minor, currency).toMajor().toPlainString();
    }

    /** Instants outside 1970-2200 are refused as the reports refuse them (no timestamp the view could hold). */
    private static void checkInstant(String field, Instant value) {
        if (value != null && (value.isBefore(ApiInstants.EARLIEST) || value.isAfter(ApiInstants.LATEST))) {
            throw ApiProblem.invalid(field, field + " must be between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z");
        }
    }

    private static void checkId(String field, String value) {
        if (value != null && (value.isEmpty() || value.length() > 64)) {
            throw ApiProblem.invalid(field, field + " must be 1 to 64 characters");
        }
    }
}
