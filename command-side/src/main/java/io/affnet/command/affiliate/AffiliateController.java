package io.affnet.command.affiliate;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.Role;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.Saved;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
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
import java.util.List;

@RestController
@RequestMapping("/api/v1/affiliates")
@Access(Role.TENANT_ADMIN)
public class AffiliateController {

    private final CommandGateway commands;

    public AffiliateController(CommandGateway commands) {
        this.commands = commands;
    }

    /** An affiliate as a tenant admin sends it; a new one is ACTIVE, a PUT must state the status. */
    public record AffiliateRequest(String name, String email, AffiliateStatus status, List<PayoutOverride> payoutOverrides) {
        AffiliateProfile profile(AffiliateStatus defaultStatus) {
            return new AffiliateProfile(name, email, status == null ? defaultStatus : status,
                    payoutOverrides == null ? List.of() : payoutOverrides);
        }
    }

    @PostMapping
    @Operation(summary = "Sign up an affiliate in the caller's tenant", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Saved> create(Caller caller, @RequestBody AffiliateRequest request) {
        String id = ConfigCommands.newId("aff");
        commands.sendAndWait(new CreateAffiliateCommand(id, caller.tenantId(), request.profile(AffiliateStatus.ACTIVE)));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/affiliates/" + id))
                .body(new Saved(id, 1));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an affiliate's profile", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody AffiliateRequest request) {
        Long version = commands.sendAndWait(new UpdateAffiliateCommand(id, caller.tenantId(), request.profile(null)));
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
