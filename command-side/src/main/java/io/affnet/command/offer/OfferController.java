package io.affnet.command.offer;

import io.affnet.api.common.Role;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.ConfigureOfferPixelCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.DatacenterTraffic;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.command.config.AmountBody;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.command.config.MoneyBody;
import io.affnet.command.config.Saved;
import io.affnet.command.postback.ExchangeRates;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.FieldErrors;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

@RestController
@RequestMapping("/api/v1/offers")
@Access(Role.TENANT_ADMIN)
public class OfferController {

    private final CommandGateway commands;
    private final ExchangeRates rates;
    private final ConfigLookup lookup;

    public OfferController(CommandGateway commands, ExchangeRates rates, ConfigLookup lookup) {
        this.commands = commands;
        this.rates = rates;
        this.lookup = lookup;
    }

    /**
     * An offer's terms as a tenant admin sends them. Left out: the window is 30 days, there are no caps
     * and no country or device limits; a new offer is ACTIVE, but a PUT must state the status, since it
     * replaces the terms and must not resume a paused offer by omission.
     */
    @Schema(description = "An offer's terms; a PUT replaces them all (a new version).")
    public record OfferRequest(
            @Schema(description = "Name shown to the tenant and its affiliates.", example = "Shoes DE",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String name,
            @Schema(description = "Id of one of the tenant's advertisers.", example = "adv_3f9c2a",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 64) String advertiserId,
            @Schema(description = "Absolute http(s) URL the click is sent to; macros {click_id}, {affiliate_id}, "
                    + "{offer_id}, {link_id}, {sub1}..{sub10}, {source}.", example = "https://shop.example/?cid={click_id}&s1={sub1}",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 2048) String destinationUrl,
            @Schema(description = "ISO-4217 currency of the offer's fixed amounts; sales in other currencies are converted into it.",
                    example = "EUR", pattern = "^[A-Z]{3}$", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            @Schema(description = "ACTIVE or PAUSED; a POST defaults to ACTIVE, a PUT must state it.", example = "ACTIVE",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) OfferStatus status,
            @Schema(description = "The kinds of conversion the offer pays for (1 to 100, unique names).",
                    requiredMode = Schema.RequiredMode.REQUIRED) List<GoalBody> goals,
            @Schema(description = "How long after a click a conversion is credited, in seconds (default 30 days).",
                    example = "2592000", minimum = "1", maximum = "31536000", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            Long attributionWindowSeconds,
            @Schema(description = "Conversion caps; left out = none.", requiredMode = Schema.RequiredMode.NOT_REQUIRED) CapsBody caps,
            @Schema(description = "ISO-3166 alpha-2 countries that may be sent; empty or left out = everywhere.",
                    example = "[\"DE\",\"AT\"]", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Set<String> allowedCountries,
            @Schema(description = "Device classes that may be sent (desktop, phone, tablet, tv, console, wearable, bot, "
                    + "unknown); empty or left out = every device.", example = "[\"phone\",\"tablet\"]",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Set<String> allowedDeviceClasses,
            @Schema(description = "Where clicks that may not reach the offer go; left out = a 404 page.",
                    example = "https://shop.example/", requiredMode = Schema.RequiredMode.NOT_REQUIRED, maxLength = 2048)
            String fallbackUrl,
            @Schema(description = "Clicks from hosting/datacentre networks (by ASN): ALLOW (default), FLAG or REFUSE.",
                    example = "FLAG", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            DatacenterTraffic datacenterTraffic) {

        /** The exact terms, or a 400 that lists every missing field and every amount that does not convert exactly. */
        OfferTerms terms(OfferStatus defaultStatus, Predicate<String> hasRates) {
            FieldErrors errors = new FieldErrors();
            errors.require("name", name);
            errors.require("advertiserId", advertiserId);
            errors.require("destinationUrl", destinationUrl);
            boolean knownCurrency = errors.require("currency", currency) && isCurrency(currency);
            if (currency != null && !currency.isBlank() && !knownCurrency) {
                errors.add("currency", "currency '" + currency + "' is not an ISO-4217 code such as EUR");
            } else if (knownCurrency && !hasRates.test(currency)) {
                errors.add("currency", "currency " + currency + " has no exchange rate in the platform's rate source "
                        + "(the ECB reference rates), so sales in other currencies could not be converted into it");
            }
            if (status == null && defaultStatus == null) {
                errors.add("status", "status is required on a PUT (ACTIVE or PAUSED)");
            }
            List<Goal> converted = new ArrayList<>();
            if (goals == null || goals.isEmpty()) {
                errors.add("goals", "an offer needs at least one goal");
            } else {
                for (int i = 0; i < goals.size(); i++) {
                    GoalBody goal = goals.get(i);
                    String field = "goals[" + i + "]";
                    if (goal == null) {
                        errors.add(field, field + " must not be null");
                        continue;
                    }
                    errors.require(field + ".name", goal.name());
                    String offerCurrency = knownCurrency ? currency : null;
                    Amount revenue = AmountBody.toAmount(goal.revenue(), field + ".revenue", offerCurrency, errors);
                    Amount payout = AmountBody.toAmount(goal.payout(), field + ".payout", offerCurrency, errors);
                    converted.add(new Goal(goal.name(), revenue, payout));
                }
            }
            errors.throwIfAny();
            return new OfferTerms(name, advertiserId, destinationUrl, currency, status == null ? defaultStatus : status,
                    converted, attributionWindowSeconds == null ? OfferTerms.DEFAULT_WINDOW_SECONDS : attributionWindowSeconds,
                    caps == null ? Caps.none() : caps.caps(), allowedCountries == null ? Set.of() : allowedCountries,
                    allowedDeviceClasses == null ? Set.of() : allowedDeviceClasses, fallbackUrl, datacenterTraffic);
        }

        private static boolean isCurrency(String code) {
            try {
                return java.util.Currency.getInstance(code).getCurrencyCode().equals(code);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    @Schema(description = "One kind of conversion of an offer and what it is worth.")
    public record GoalBody(
            @Schema(description = "Goal name postbacks send (goal=...), unique in the offer.", example = "sale",
                    requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 64) String name,
            @Schema(description = "What the advertiser pays the network per conversion.",
                    requiredMode = Schema.RequiredMode.REQUIRED) AmountBody revenue,
            @Schema(description = "What the affiliate earns per conversion.",
                    requiredMode = Schema.RequiredMode.REQUIRED) AmountBody payout) {
    }

    @Schema(description = "Most conversions counted in the tenant's time zone; a left-out cap means none. The perAffiliate* "
            + "caps apply to each affiliate on the offer separately.")
    public record CapsBody(
            @Schema(description = "Conversions per day.", example = "500", minimum = "0") Long daily,
            @Schema(description = "Conversions per calendar month.", example = "10000", minimum = "0") Long monthly,
            @Schema(description = "Conversions ever.", example = "100000", minimum = "0") Long lifetime,
            @Schema(description = "Conversions per day and affiliate.", example = "50", minimum = "0") Long perAffiliateDaily,
            @Schema(description = "Conversions per month and affiliate.", example = "1000", minimum = "0") Long perAffiliateMonthly,
            @Schema(description = "Conversions ever per affiliate.", example = "10000", minimum = "0") Long perAffiliateLifetime) {

        Caps caps() {
            return new Caps(daily, monthly, lifetime, perAffiliateDaily, perAffiliateMonthly, perAffiliateLifetime);
        }
    }

    @PostMapping
    @Operation(summary = "Create an offer of one of the tenant's advertisers", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Saved> create(Caller caller, @RequestBody OfferRequest request) {
        String id = ConfigCommands.newId("off");
        commands.sendAndWait(new CreateOfferCommand(id, caller.tenantId(), request.terms(OfferStatus.ACTIVE, rates::knows)));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/offers/" + id)).body(new Saved(id, 1));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an offer's terms with a new version", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody OfferRequest request) {
        Long version = commands.sendAndWait(new UpdateOfferCommand(id, caller.tenantId(), request.terms(null, rates::knows)));
        return new Saved(id, version);
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Stop an offer taking traffic (a new version of its terms)", security = @SecurityRequirement(name = "bearer"))
    public Saved pause(Caller caller, @PathVariable("id") String id) {
        return changeStatus(caller, id, OfferStatus.PAUSED);
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Let a paused offer take traffic again", security = @SecurityRequirement(name = "bearer"))
    public Saved resume(Caller caller, @PathVariable("id") String id) {
        return changeStatus(caller, id, OfferStatus.ACTIVE);
    }

    /**
     * An offer's browser-pixel settings as a tenant admin sends them: {@code enabled} (default false),
     * {@code allowedReferrerDomains} (empty = any page), {@code maxAmount} a decimal text in the offer's
     * currency ({@code "50.00"}; null = pixel conversions carry no amount, the goal's fixed amounts apply).
     */
    @Schema(description = "Whether an offer takes browser-pixel conversions (GET /p), from where, and up to which sale amount.")
    public record PixelRequest(
            @Schema(description = "Whether pixel conversions are taken at all (default false).", example = "true",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean enabled,
            @Schema(description = "When not empty, a pixel counts only from a page on one of these domains or their subdomains.",
                    example = "[\"shop.example\"]", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Set<String> allowedReferrerDomains,
            @Schema(description = "Highest sale amount a pixel may report, a decimal text in the offer's currency; left out = a "
                    + "pixel carries no amount (the goal's fixed amounts apply).", example = "50.00",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) String maxAmount) {
    }

    /** The offer's browser pixel: off unless turned on here; see docs/security.md. */
    @PutMapping("/{id}/pixel")
    @Operation(summary = "Turn an offer's browser pixel on or off, with its allowed referring domains and amount ceiling",
            security = @SecurityRequirement(name = "bearer"))
    public PixelRequest pixel(Caller caller, @PathVariable("id") String id, @RequestBody PixelRequest request) {
        if (request == null) {
            throw io.affnet.web.problem.ApiProblem.invalid("pixel", "a body {enabled, allowedReferrerDomains, maxAmount} is required");
        }
        PixelRequest settings = new PixelRequest(Boolean.TRUE.equals(request.enabled()),
                request.allowedReferrerDomains() == null ? Set.of() : request.allowedReferrerDomains(), request.maxAmount());
        commands.sendAndWait(new ConfigureOfferPixelCommand(id, caller.tenantId(), settings.enabled(),
                settings.allowedReferrerDomains(), settings.maxAmount()));
        return settings;
    }

    private Saved changeStatus(Caller caller, String id, OfferStatus status) {
        Long version = commands.sendAndWait(new ChangeOfferStatusCommand(id, caller.tenantId(), status));
        return new Saved(id, version);
    }
}
