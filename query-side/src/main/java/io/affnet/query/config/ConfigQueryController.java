package io.affnet.query.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.query.report.FieldGrants;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
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

    private final ConfigEntityReads entities;
    private final ObjectMapper json;

    private final io.affnet.web.TrackingDomains domains;

    public ConfigQueryController(ConfigEntityReads entities, ObjectMapper json, io.affnet.web.TrackingDomains domains) {
        this.domains = domains;
        this.entities = entities;
        this.json = json;
    }

    /** The current version of one object, with {@code id} and {@code version} (links: also code and click URL). */
    @GetMapping("/api/v1/{kind:advertisers|offers|affiliates|links}/{id}")
    @Operation(summary = "One advertiser, offer, affiliate or link of the caller's tenant",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode get(Caller caller, @PathVariable("kind") String kind, @PathVariable("id") String id) {
        String body = entities.body(caller.tenantId().value(), KINDS.get(kind), id, owner(caller, kind))
                .orElseThrow(() -> ApiProblem.notFound(NAMES.get(kind)));
        return view(body, caller);
    }

    /** A page of objects: {@code items}, and {@code next} (the {@code after} of the next page) or null at the end. */
    @GetMapping("/api/v1/{kind:advertisers|offers|affiliates|links}")
    @Operation(summary = "The caller's advertisers, offers, affiliates or links, by id, ?limit= (max 200) &after=",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode list(Caller caller, @PathVariable("kind") String kind,
                           @RequestParam(name = "limit", required = false) Integer limit,
                           @RequestParam(name = "after", required = false) String after) {
        ConfigEntityReads.Owner owner = owner(caller, kind);
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if (after != null && after.length() > 64) {
            throw ApiProblem.invalid("after", "after must be an id from a previous page");
        }
        List<String> bodies = entities.page(caller.tenantId().value(), KINDS.get(kind), after == null ? "" : after, size + 1, owner);
        ObjectNode page = json.createObjectNode();
        ArrayNode items = page.putArray("items");
        bodies.stream().limit(size).map(b -> view(b, caller)).forEach(items::add);
        page.put("next", bodies.size() > size ? items.get(size - 1).get("id").asText() : null);
        return page;
    }

    /** What the caller's principal may see of this kind (everything of the tenant for tenant staff). */
    private static ConfigEntityReads.Owner owner(Caller caller, String kind) {
        return switch (caller.role()) {
            case AFFILIATE -> switch (kind) {
                case "affiliates" -> ConfigEntityReads.Owner.self(caller.principalId());
                case "links" -> ConfigEntityReads.Owner.affiliate(caller.principalId());
                default -> throw new ForbiddenException("An affiliate key may read its own profile and links only.");
            };
            case ADVERTISER -> switch (kind) {
                case "advertisers" -> ConfigEntityReads.Owner.self(caller.principalId());
                case "offers" -> ConfigEntityReads.Owner.advertiser(caller.principalId());
                default -> throw new ForbiddenException("An advertiser key may read its own profile and offers only.");
            };
            default -> ConfigEntityReads.Owner.NONE;
        };
    }

    /**
     * An offer's goals carry the payout (what the network pays its affiliates) beside the revenue (what the
     * advertiser pays): an advertiser who saw both would know the network's margin. Who sees payouts is
     * {@link FieldGrants}' rule, as in reports: an advertiser's key reads each goal's payout as null.
     */
    static void hidePayouts(ObjectNode node, Caller caller) {
        if (node.has("goals") && !new FieldGrants.Viewer(caller.role(), false).sees(FieldGrants.Surface.METRIC, "payout")) {
            node.path("goals").forEach(g -> ((ObjectNode) g).putNull("payout"));
        }
    }

    /** A link's click URL is on the tenant's tracking domain when it has one; payouts only for those who may see them. */
    private ObjectNode view(String body, Caller caller) {
        try {
            ObjectNode node = (ObjectNode) json.readTree(body);
            if (node.hasNonNull("code")) {
                node.put("clickUrl", domains.clickUrl(caller.tenantId().value(), node.get("code").asText()));
            }
            AmountViews.rewrite(node, offerId -> entities.offerCurrency(caller.tenantId().value(), offerId));
            hidePayouts(node, caller);
            return node;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
