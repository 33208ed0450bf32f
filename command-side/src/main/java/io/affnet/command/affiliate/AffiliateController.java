package io.affnet.command.affiliate;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.Role;
import io.affnet.api.offer.Amount;
import io.affnet.command.config.AmountBody;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.command.config.Saved;
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
import java.util.function.Function;

@RestController
@RequestMapping("/api/v1/affiliates")
@Access(Role.TENANT_ADMIN)
public class AffiliateController {

    private final CommandGateway commands;
    private final ConfigLookup lookup;

    public AffiliateController(CommandGateway commands, ConfigLookup lookup) {
        this.commands = commands;
        this.lookup = lookup;
    }

    /** An affiliate as a tenant admin sends it; a new one is ACTIVE, a PUT must state the status. */
    @Schema(description = "An affiliate's profile; a PUT replaces it (a new version).")
    public record AffiliateRequest(
            @Schema(description = "Name shown to the tenant.", example = "Deal Blog", maxLength = 200,
                    requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "Contact address.", example = "ops@blog.example", maxLength = 254,
                    requiredMode = Schema.RequiredMode.REQUIRED) String email,
            @Schema(description = "ACTIVE or SUSPENDED; a POST defaults to ACTIVE, a PUT must state it.", example = "ACTIVE",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) AffiliateStatus status,
            @Schema(description = "Payouts this affiliate gets instead of an offer goal's own; left out = none.",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) List<PayoutOverrideBody> payoutOverrides) {

        /** The exact profile, or a 400 listing every missing field and every amount that does not convert exactly. */
        AffiliateProfile profile(AffiliateStatus defaultStatus, Function<String, String> offerCurrency) {
            FieldErrors errors = new FieldErrors();
            errors.require("name", name);
            errors.require("email", email);
            if (status == null && defaultStatus == null) {
                errors.add("status", "status is required on a PUT (ACTIVE or SUSPENDED)");
            }
            List<PayoutOverride> overrides = new ArrayList<>();
            for (int i = 0; payoutOverrides != null && i < payoutOverrides.size(); i++) {
                PayoutOverrideBody body = payoutOverrides.get(i);
                String field = "payoutOverrides[" + i + "]";
                if (body == null) {
                    errors.add(field, field + " must not be null");
                    continue;
                }
                boolean named = errors.require(field + ".offerId", body.offerId());
                errors.require(field + ".goal", body.goal());
                String currency = named ? offerCurrency.apply(body.offerId()) : null;
                Amount payout = AmountBody.toAmount(body.payout(), field + ".payout", currency, errors);
                overrides.add(new PayoutOverride(body.offerId(), body.goal(), payout));
            }
            errors.throwIfAny();
            return new AffiliateProfile(name, email, status == null ? defaultStatus : status, overrides);
        }
    }

    @Schema(description = "The payout an affiliate gets on one goal of one offer instead of the offer's own.")
    public record PayoutOverrideBody(
            @Schema(description = "Id of one of the tenant's offers.", example = "off_8d1e0b", maxLength = 64,
                    requiredMode = Schema.RequiredMode.REQUIRED) String offerId,
            @Schema(description = "Name of a goal of that offer.", example = "sale", maxLength = 64,
                    requiredMode = Schema.RequiredMode.REQUIRED) String goal,
            @Schema(description = "The payout; a fixed amount is in the offer's currency.",
                    requiredMode = Schema.RequiredMode.REQUIRED) AmountBody payout) {
    }

    @PostMapping
    @Operation(summary = "Sign up an affiliate in the caller's tenant", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Saved> create(Caller caller, @RequestBody AffiliateRequest request) {
        String id = ConfigCommands.newId("aff");
        commands.sendAndWait(new CreateAffiliateCommand(id, caller.tenantId(), request.profile(AffiliateStatus.ACTIVE, offerId -> lookup.currencyOf(caller.tenantId(), offerId))));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/affiliates/" + id))
                .body(new Saved(id, 1));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an affiliate's profile", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody AffiliateRequest request) {
        Long version = commands.sendAndWait(new UpdateAffiliateCommand(id, caller.tenantId(), request.profile(null, offerId -> lookup.currencyOf(caller.tenantId(), offerId))));
        return new Saved(id, version);
    }

    @PostMapping("/{id}/suspend")
    @Operation(summary = "Stop accepting an affiliate's traffic", security = @SecurityRequirement(name = "bearer"))
    public Saved suspend(Caller caller, @PathVariable("id") String id) {
        return changeStatus(caller, id, AffiliateStatus.SUSPENDED);
    }

    @PostMapping("/{id}/reactivate")
    @Operation(summary = "Accept a suspended affiliate's traffic again", security = @SecurityRequirement(name = "bearer"))
    public Saved reactivate(Caller caller, @PathVariable("id") String id) {
        return changeStatus(caller, id, AffiliateStatus.ACTIVE);
    }

    private Saved changeStatus(Caller caller, String id, AffiliateStatus status) {
        Long version = commands.sendAndWait(new ChangeAffiliateStatusCommand(id, caller.tenantId(), status));
        return new Saved(id, version);
    }
}
