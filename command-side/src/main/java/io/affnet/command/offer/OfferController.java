package io.affnet.command.offer;

import io.affnet.api.common.Role;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.UpdateOfferCommand;
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
import java.util.Set;

@RestController
@RequestMapping("/api/v1/offers")
@Access(Role.TENANT_ADMIN)
public class OfferController {

    private final CommandGateway commands;

    public OfferController(CommandGateway commands) {
        this.commands = commands;
    }

    /**
     * An offer's terms as a tenant admin sends them. Left out: the window is 30 days, there are no caps
     * and no country or device limits; a new offer is ACTIVE, but a PUT must state the status, since it
     * replaces the terms and must not resume a paused offer by omission.
     */
    public record OfferRequest(String name, String advertiserId, String destinationUrl, String currency,
                               OfferStatus status, List<Goal> goals, Long attributionWindowSeconds, Caps caps,
                               Set<String> allowedCountries, Set<String> allowedDeviceClasses, String fallbackUrl) {

        OfferTerms terms(OfferStatus defaultStatus) {
            return new OfferTerms(name, advertiserId, destinationUrl, currency, status == null ? defaultStatus : status,
                    goals, attributionWindowSeconds == null ? OfferTerms.DEFAULT_WINDOW_SECONDS : attributionWindowSeconds,
                    caps == null ? Caps.none() : caps, allowedCountries == null ? Set.of() : allowedCountries,
                    allowedDeviceClasses == null ? Set.of() : allowedDeviceClasses, fallbackUrl);
        }
    }

    @PostMapping
    @Operation(summary = "Create an offer of one of the tenant's advertisers", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Saved> create(Caller caller, @RequestBody OfferRequest request) {
        String id = ConfigCommands.newId("off");
        commands.sendAndWait(new CreateOfferCommand(id, caller.tenantId(), request.terms(OfferStatus.ACTIVE)));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/offers/" + id)).body(new Saved(id, 1));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace an offer's terms with a new version", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody OfferRequest request) {
        Long version = commands.sendAndWait(new UpdateOfferCommand(id, caller.tenantId(), request.terms(null)));
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

    private Saved changeStatus(Caller caller, String id, OfferStatus status) {
        Long version = commands.sendAndWait(new ChangeOfferStatusCommand(id, caller.tenantId(), status));
        return new Saved(id, version);
    }
}
