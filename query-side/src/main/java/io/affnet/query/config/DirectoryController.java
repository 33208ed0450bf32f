package io.affnet.query.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.tenant.TenantView;
import io.affnet.query.tenant.TenantQueries;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.affnet.query.report.ReportSharingReads;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard needs to greet a key and to put names where reports and logs have ids: who the
 * caller is ({@code /api/v1/me}) and the names of what the caller may name ({@code /api/v1/directory}).
 * Staff get every advertiser, offer, affiliate and link of the tenant; an affiliate its own profile and
 * links and the offers those links send to, with its payout and never the offer's revenue or
 * advertiser; an advertiser its own profile and offers with their revenue and never the payouts, and
 * the affiliates' names only when its tenant shares affiliate identities with advertisers.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER})
public class DirectoryController {

    /** The most objects of one kind a directory lists; a tenant with more gets ids for the rest. */
    public static final int MAX_PER_KIND = 5000;

    private final ConfigEntityReads entities;
    private final ReportSharingReads sharing;
    private final ObjectMapper json;
    private final TenantQueries tenants;

    public DirectoryController(ConfigEntityReads entities, ReportSharingReads sharing, ObjectMapper json, TenantQueries tenants) {
        this.entities = entities;
        this.sharing = sharing;
        this.json = json;
        this.tenants = tenants;
    }

    /** The caller's role, tenant (name, time zone, currency) and, for affiliate and advertiser keys, whom it speaks for. */
    @GetMapping("/api/v1/me")
    @Operation(summary = "Who the key is: role, tenant, and the affiliate or advertiser it speaks for",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode me(Caller caller) {
        TenantView tenant = tenants.find(caller, caller.tenantId().value());
        ObjectNode me = json.createObjectNode();
        me.put("role", caller.role().name());
        me.put("tenantId", tenant.id());
        me.put("tenantName", tenant.name());
        me.put("timezone", tenant.timezone());
        me.put("currency", tenant.currency());
        if (caller.role() == Role.AFFILIATE || caller.role() == Role.ADVERTISER) {
            String kind = caller.role() == Role.AFFILIATE ? ConfigEntityKinds.AFFILIATE : ConfigEntityKinds.ADVERTISER;
            me.put("principalId", caller.principalId());
            JsonNode principal = one(tenant.id(), kind, caller.principalId());
            me.put("principalName", principal == null ? null : principal.path("name").asText());
        }
        me.put("advertisersSeeAffiliates", caller.role() != Role.AFFILIATE
                && sharing.advertisersSeeAffiliates(tenant.id()));
        return me;
    }

    /**
     * Names by id: {@code advertisers}, {@code offers}, {@code affiliates}, {@code links}, each an object
     * of id to a small view (name, and for offers currency, status and goals as the caller may see them).
     */
    @GetMapping("/api/v1/directory")
    @Operation(summary = "Names of the advertisers, offers, affiliates and links the caller may see, by id",
            security = @SecurityRequirement(name = "bearer"))
    public ObjectNode directory(Caller caller) {
        String tenantId = caller.tenantId().value();
        ObjectNode out = json.createObjectNode();
        ObjectNode advertisers = out.putObject("advertisers");
        ObjectNode offers = out.putObject("offers");
        ObjectNode affiliates = out.putObject("affiliates");
        ObjectNode links = out.putObject("links");
        switch (caller.role()) {
            case AFFILIATE -> {
                JsonNode self = one(tenantId, ConfigEntityKinds.AFFILIATE, caller.principalId());
                if (self != null) {
                    affiliates.set(caller.principalId(), name(self));
                }
                List<JsonNode> own = bodies(entities.page(tenantId, ConfigEntityKinds.LINK, "", MAX_PER_KIND,
                        ConfigEntityReads.Owner.affiliate(caller.principalId())));
                own.forEach(l -> links.set(l.path("id").asText(), link(l)));
                List<String> offerIds = own.stream().flatMap(l -> stream(l.path("offerIds"))).distinct().toList();
                for (String offerId : offerIds) {
                    JsonNode offer = one(tenantId, ConfigEntityKinds.OFFER, offerId);
                    if (offer != null) {
                        offers.set(offerId, affiliateOffer(offer, self));
                    }
                }
            }
            case ADVERTISER -> {
                JsonNode self = one(tenantId, ConfigEntityKinds.ADVERTISER, caller.principalId());
                if (self != null) {
                    advertisers.set(caller.principalId(), name(self));
                }
                bodies(entities.page(tenantId, ConfigEntityKinds.OFFER, "", MAX_PER_KIND,
                        ConfigEntityReads.Owner.advertiser(caller.principalId())))
                        .forEach(o -> offers.set(o.path("id").asText(), advertiserOffer(o)));
                if (sharing.advertisersSeeAffiliates(tenantId)) {
                    all(tenantId, ConfigEntityKinds.AFFILIATE).forEach(a -> affiliates.set(a.path("id").asText(), name(a)));
                }
            }
            default -> {
                all(tenantId, ConfigEntityKinds.ADVERTISER).forEach(a -> advertisers.set(a.path("id").asText(), name(a)));
                all(tenantId, ConfigEntityKinds.OFFER).forEach(o -> offers.set(o.path("id").asText(), staffOffer(o)));
                all(tenantId, ConfigEntityKinds.AFFILIATE).forEach(a -> affiliates.set(a.path("id").asText(), name(a)));
                all(tenantId, ConfigEntityKinds.LINK).forEach(l -> links.set(l.path("id").asText(), link(l)));
            }
        }
        return out;
    }

    private List<JsonNode> all(String tenantId, String kind) {
        return bodies(entities.page(tenantId, kind, "", MAX_PER_KIND, ConfigEntityReads.Owner.NONE));
    }

    private JsonNode one(String tenantId, String kind, String id) {
        return entities.body(tenantId, kind, id, ConfigEntityReads.Owner.NONE).map(this::read).orElse(null);
    }

    private List<JsonNode> bodies(List<String> texts) {
        return texts.stream().map(this::read).toList();
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.stream.Stream<String> stream(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values.stream();
    }

    private ObjectNode name(JsonNode entity) {
        ObjectNode view = json.createObjectNode();
        view.put("name", entity.path("name").asText());
        if (entity.has("status")) {
            view.put("status", entity.path("status").asText());
        }
        return view;
    }

    private ObjectNode link(JsonNode link) {
        ObjectNode view = json.createObjectNode();
        view.put("code", link.path("code").asText());
        view.put("affiliateId", link.path("affiliateId").asText());
        view.set("offerIds", link.path("offerIds").deepCopy());
        view.put("status", link.path("status").asText());
        view.put("smart", link.path("offerIds").size() > 1);
        return view;
    }

    private ObjectNode offerBase(JsonNode offer) {
        ObjectNode view = name(offer);
        view.put("currency", offer.path("currency").asText());
        return view;
    }

    private ObjectNode staffOffer(JsonNode offer) {
        ObjectNode view = offerBase(offer);
        view.put("advertiserId", offer.path("advertiserId").asText());
        return view;
    }

    /** The offer's terms as its advertiser sees them: goals with revenue, no payouts. */
    private ObjectNode advertiserOffer(JsonNode offer) {
        ObjectNode view = offerBase(offer);
        view.set("goals", goals(offer, "revenue", null));
        return view;
    }

    /** The offer's terms as an affiliate sees them: its landing page and goals with its payout (overrides applied). */
    private ObjectNode affiliateOffer(JsonNode offer, JsonNode affiliate) {
        ObjectNode view = offerBase(offer);
        view.put("destinationUrl", offer.path("destinationUrl").asText());
        Map<String, JsonNode> overrides = new HashMap<>();
        if (affiliate != null) {
            ObjectNode profile = affiliate.deepCopy();
            AmountViews.rewrite(profile, id -> offer.path("currency").asText(null));
            for (JsonNode o : profile.path("payoutOverrides")) {
                if (o.path("offerId").asText().equals(offer.path("id").asText())) {
                    overrides.put(o.path("goal").asText(), o.get("payout"));
                }
            }
        }
        view.set("goals", goals(offer, "payout", overrides));
        return view;
    }

    private ArrayNode goals(JsonNode offer, String side, Map<String, JsonNode> overrides) {
        ObjectNode terms = offer.deepCopy();
        AmountViews.rewrite(terms, id -> null);
        ArrayNode goals = json.createArrayNode();
        for (JsonNode goal : terms.path("goals")) {
            ObjectNode g = goals.addObject();
            String goalName = goal.path("name").asText();
            g.put("name", goalName);
            JsonNode amount = overrides != null && overrides.containsKey(goalName) ? overrides.get(goalName) : goal.get(side);
            g.set(side, amount == null ? null : amount.deepCopy());
        }
        return goals;
    }
}
