package io.affnet.query.outbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.affnet.query.config.ConfigEntityReads;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * Reads an affiliate's postback endpoint (templates, pause state, never the secret) and the delivery
 * log per affiliate and per conversion: one entry per attempt, newest first, URLs with secrets masked.
 * Every query filters by the caller's tenant; pages continue with {@code before} (the last seq seen).
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
public class OutboundQueryController {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;
    private final OutboundReads outbound;
    private final ConfigEntityReads entities;
    private final ObjectMapper json;

    public OutboundQueryController(OutboundReads outbound, ConfigEntityReads entities, ObjectMapper json) {
        this.outbound = outbound;
        this.entities = entities;
        this.json = json;
    }

    @GetMapping("/api/v1/affiliates/{id}/postback")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
    @Operation(summary = "An affiliate's postback templates and whether delivery is paused", security = @SecurityRequirement(name = "bearer"))
    public ObjectNode endpoint(Caller caller, @PathVariable("id") String affiliateId) {
        requireReaderOf(caller, affiliateId);
        if (affiliateId.indexOf(':') >= 0) {
            // The tenant's own payout endpoint (owner "tenant:<id>") is read through /payout-webhook only.
            throw ApiProblem.notFound("Affiliate");
        }
        return outbound.endpoint(caller.tenantId().value(), affiliateId)
                .orElseThrow(() -> ApiProblem.notFound("Postback endpoint"));
    }

    /**
     * The tenant's payout endpoint: its URL, version, the secret's prefix and issue time (never the secret,
     * which the first PUT and each rotation show once), pause state. Tenant admin, like the PUT that sets it.
     */
    @GetMapping("/api/v1/payout-webhook")
    @Access(Role.TENANT_ADMIN)
    @Operation(summary = "The tenant's payout endpoint (tenant admin): URL, secret prefix (never the secret), pause state; "
            + "404 before the first PUT", security = @SecurityRequirement(name = "bearer"))
    public ObjectNode payoutWebhook(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        ObjectNode endpoint = outbound.endpoint(caller.tenantId().value(), ConfigurePostbackEndpointCommand.tenantOwner(caller.tenantId()))
                .orElseThrow(() -> ApiProblem.notFound("Payout webhook"));
        ObjectNode answer = json.createObjectNode();
        com.fasterxml.jackson.databind.JsonNode templates = endpoint.get("templates");
        answer.put("url", templates.isArray() && !templates.isEmpty() ? templates.get(0).path("url").asText(null) : null);
        for (String field : List.of("version", "secretPrefix", "secretIssuedAt", "paused", "pausedAt", "pauseReason",
                "consecutiveFailures")) {
            answer.set(field, endpoint.get(field));
        }
        return answer;
    }

    @GetMapping("/api/v1/outbound-settings")
    @Operation(summary = "The tenant's outbound postback settings (allowPrivateTargets is always false: private "
            + "targets are the operator's configuration)", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Boolean> settings(Caller caller) {
        requireReader(caller);
        // A value a tenant stored before private targets became the operator's decision is no longer read.
        return Map.of("allowPrivateTargets", false);
    }

    @GetMapping("/api/v1/affiliates/{id}/postback-deliveries")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE})
    @Operation(summary = "The affiliate's postback delivery log, newest first, ?limit= (max 200) &before=",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode byAffiliate(Caller caller, @PathVariable("id") String affiliateId,
                                  @RequestParam(name = "limit", required = false) Integer limit,
                                  @RequestParam(name = "before", required = false) Long before) {
        requireReaderOf(caller, affiliateId);
        if (!entities.exists(caller.tenantId().value(), ConfigEntityKinds.AFFILIATE, affiliateId)) {
            throw ApiProblem.notFound("Affiliate");
        }
        return page(limit, before, (upTo, size) -> outbound.attemptsOfAffiliate(caller.tenantId().value(), affiliateId, upTo, size));
    }

    @GetMapping("/api/v1/conversions/{id}/postback-deliveries")
    @Operation(summary = "The postback delivery log of one conversion, newest first; 404 when it has none",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode byConversion(Caller caller, @PathVariable("id") String conversionId,
                                   @RequestParam(name = "limit", required = false) Integer limit,
                                   @RequestParam(name = "before", required = false) Long before) {
        requireReader(caller);
        ObjectNode page = page(limit, before, (upTo, size) -> outbound.attemptsOfConversion(caller.tenantId().value(), conversionId, upTo, size));
        if (page.get("items").isEmpty() && before == null) {
            throw ApiProblem.notFound("Postback deliveries of this conversion");
        }
        return page;
    }

    /** Reads attempts below a seq, at most a number of them. */
    private interface Attempts {
        List<ObjectNode> read(long before, int limit);
    }

    private ObjectNode page(Integer limit, Long before, Attempts attempts) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        List<ObjectNode> rows = attempts.read(before == null ? Long.MAX_VALUE : before, size + 1);
        ObjectNode page = json.createObjectNode();
        ArrayNode items = page.putArray("items");
        rows.stream().limit(size).forEach(items::add);
        if (rows.size() > size) {
            page.put("next", items.get(size - 1).get("seq").asLong());
        } else {
            page.putNull("next");
        }
        return page;
    }

    /** Staff read any affiliate's set-up and log; an affiliate key its own only (another's answers 404 like a missing one). */
    private static void requireReaderOf(Caller caller, String affiliateId) {
        if (caller.role() == Role.AFFILIATE) {
            if (!affiliateId.equals(caller.principalId())) {
                throw ApiProblem.notFound("Affiliate");
            }
            return;
        }
        requireReader(caller);
    }

    private static void requireReader(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
    }

}
