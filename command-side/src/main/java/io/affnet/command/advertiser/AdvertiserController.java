package io.affnet.command.advertiser;

import io.affnet.api.advertiser.AdvertiserProfile;
import io.affnet.api.advertiser.CreateAdvertiserCommand;
import io.affnet.api.advertiser.UpdateAdvertiserCommand;
import io.affnet.api.common.Role;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.Saved;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.FieldErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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

@RestController
@RequestMapping("/api/v1/advertisers")
@Access(Role.TENANT_ADMIN)
public class AdvertiserController {

    private final CommandGateway commands;

    public AdvertiserController(CommandGateway commands) {
        this.commands = commands;
    }

    /** An advertiser as a tenant admin sends it; the tenant is the caller's, never a field. */
    @Schema(description = "An advertiser; a PUT replaces it (a new version).")
    public record AdvertiserRequest(
            @Schema(description = "Name shown to the tenant.", example = "Shoe Shop GmbH", maxLength = 200, requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "ISO-4217 currency the advertiser usually pays in.", example = "EUR", pattern = "^[A-Z]{3}$",
                    requiredMode = Schema.RequiredMode.REQUIRED) String defaultCurrency,
            @Schema(description = "Addresses or CIDR ranges postbacks of this advertiser must come from; empty or left out = any.",
                    example = "[\"203.0.113.0/24\"]", requiredMode = Schema.RequiredMode.NOT_REQUIRED) java.util.List<String> postbackIpAllowlist) {
        AdvertiserProfile profile() {
            FieldErrors errors = new FieldErrors();
            errors.require("name", name);
            errors.require("defaultCurrency", defaultCurrency);
            errors.throwIfAny();
            return new AdvertiserProfile(name, defaultCurrency,
                    postbackIpAllowlist == null ? java.util.List.of() : postbackIpAllowlist);
        }
    }

    @PostMapping
    @Operation(summary = "Add an advertiser to the caller's tenant", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Saved> create(Caller caller, @RequestBody AdvertiserRequest request) {
        String id = ConfigCommands.newId("adv");
        commands.sendAndWait(new CreateAdvertiserCommand(id, caller.tenantId(), request.profile()));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/advertisers/" + id))
                .body(new Saved(id, 1));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an advertiser's profile", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody AdvertiserRequest request) {
        Long version = commands.sendAndWait(new UpdateAdvertiserCommand(id, caller.tenantId(), request.profile()));
        return new Saved(id, version);
    }
}
