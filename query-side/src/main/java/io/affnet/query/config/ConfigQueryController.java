package io.affnet.query.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Reads a tenant's advertisers, offers, affiliates and links from {@code config_entity}. Every query
 * filters by the caller's tenant, so another tenant's id answers 404 like a missing one and never
 * shows up in a list. Lists are ordered by id and paged with the last id seen ({@code after}).
 * Affiliate and advertiser keys see only what is theirs: an affiliate its own profile and links, an
 * advertiser its own profile and offers; anything else of the tenant answers 404 like a missing id.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER})
public class ConfigQueryController {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    private static final Map<String, String> KINDS = Map.of(
            "advertisers", ConfigEntityKinds.ADVERTISER,
            "offers", ConfigEntityKinds.OFFER,
            "affiliates", ConfigEntityKinds.AFFILIATE,
            "links", ConfigEntityKinds.LINK);
    private static final Map<String, String> NAMES = Map.of(
            "advertisers", "Advertiser", "offers", "Offer", "affiliates", "Affiliate", "links", "Link");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ConfigQueryController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The current version of one object, with {@code id} and {@code version} (links: also code and click URL). */
    @GetMapping("/api/v1/{kind:advertisers|offers|affiliates|links}/{id}")
    @Operation(summary = "One advertiser, offer, affiliate or link of the caller's tenant",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode get(Caller caller, @PathVariable("kind") String kind, @PathVariable("id") String id) {
        Scope scope = scope(caller, kind);
        List<String> bodies = jdbc.queryForList(
                "SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?" + scope.sql(),
                String.class, scope.arguments(List.of(caller.tenantId().value(), KINDS.get(kind), id)));
        if (bodies.isEmpty()) {
            throw ApiProblem.notFound(NAMES.get(kind));
        }
        return view(bodies.get(0));
    }

    /** A page of objects: {@code items}, and {@code next} (the {@code after} of the next page) or null at the end. */
    @GetMapping("/api/v1/{kind:advertisers|offers|affiliates|links}")
    @Operation(summary = "The caller's advertisers, offers, affiliates or links, by id, ?limit= (max 200) &after=",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode list(Caller caller, @PathVariable("kind") String kind,
                           @RequestParam(name = "limit", required = false) Integer limit,
                           @RequestParam(name = "after", required = false) String after) {
        Scope scope = scope(caller, kind);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (after != null && after.length() > 64) {
            throw ApiProblem.invalid("after", "after must be an id from a previous page");
        }
        List<String> bodies = jdbc.queryForList("""
                        SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id > ?%s
                        ORDER BY id LIMIT ?""".formatted(scope.sql()),
                String.class, scope.arguments(List.of(caller.tenantId().value(), KINDS.get(kind), after == null ? "" : after), size + 1));
        ObjectNode page = json.createObjectNode();
        ArrayNode items = page.putArray("items");
        bodies.stream().limit(size).map(this::view).forEach(items::add);
        page.put("next", bodies.size() > size ? items.get(size - 1).get("id").asText() : null);
        return page;
    }

    /** The extra condition that narrows a query to what the caller's principal may see (none for tenant staff). */
    record Scope(String sql, String principalId) {
        /** The query's arguments, with the principal (when scoped) where the condition stands: before the LIMIT of a list. */
        Object[] arguments(List<Object> filters, Object... tail) {
            List<Object> all = new java.util.ArrayList<>(filters);
            if (principalId != null) {
                all.add(principalId);
            }
            all.addAll(List.of(tail));
            return all.toArray();
        }
    }

    private static Scope scope(Caller caller, String kind) {
        return switch (caller.role()) {
            case AFFILIATE -> switch (kind) {
                case "affiliates" -> new Scope(" AND id = ?", caller.principalId());
                case "links" -> new Scope(" AND body ->> 'affiliateId' = ?", caller.principalId());
                default -> throw new ForbiddenException("An affiliate key may read its own profile and links only.");
            };
            case ADVERTISER -> switch (kind) {
                case "advertisers" -> new Scope(" AND id = ?", caller.principalId());
                case "offers" -> new Scope(" AND body ->> 'advertiserId' = ?", caller.principalId());
                default -> throw new ForbiddenException("An advertiser key may read its own profile and offers only.");
            };
            default -> new Scope("", null);
        };
    }

    private ObjectNode view(String body) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(body);
            if (node.hasNonNull("code")) {
                node.put("clickUrl", "/c/" + node.get("code").asText());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
