package io.affnet.command.link;

import io.affnet.api.common.CommandRejection;
import io.affnet.api.common.Role;
import io.affnet.api.link.CreateLinkCommand;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkStatus;
import io.affnet.api.link.UpdateLinkCommand;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.Saved;
import io.affnet.domain.link.LinkCodes;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.problem.FieldErrors;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.CommandExecutionException;
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
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

@RestController
@RequestMapping("/api/v1/links")
@Access(Role.TENANT_ADMIN)
public class LinkController {

    /** A clash of two 95-bit codes is practically impossible; a few attempts cover it without a loop forever. */
    private static final int CODE_ATTEMPTS = 3;

    private final CommandGateway commands;
    private final SecureRandom random = new SecureRandom();

    private final io.affnet.web.TrackingDomains domains;

    public LinkController(CommandGateway commands, io.affnet.web.TrackingDomains domains) {
        this.domains = domains;
        this.commands = commands;
    }

    /**
     * A tracking link as a tenant admin sends it: one offer, or several (or a policy) for a smart link.
     * The code is minted by the server; a new link is ACTIVE, a PUT must state the status.
     */
    @Schema(description = "A tracking link; a PUT replaces it (a new version).")
    public record LinkRequest(
            @Schema(description = "Id of the affiliate the link belongs to.", example = "aff_5b7c1d", maxLength = 64,
                    requiredMode = Schema.RequiredMode.REQUIRED) String affiliateId,
            @Schema(description = "Offers the link sends to: one, or 2 to 20 for a smart link (no repeats).",
                    example = "[\"off_8d1e0b\"]", requiredMode = Schema.RequiredMode.REQUIRED) List<String> offerIds,
            @Schema(description = "How a smart link picks an offer: uniform, weights, binom, voluum, thompson-epc or contextual; "
                    + "left out = uniform.", example = "weights", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String policy,
            @Schema(description = "Parameters of the policy, e.g. weights: offer id to weight.",
                    example = "{\"off_8d1e0b\":\"3\",\"off_2a4f6c\":\"1\"}", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Map<String, String> policyParams,
            @Schema(description = "ACTIVE or DISABLED; a POST defaults to ACTIVE, a PUT must state it.", example = "ACTIVE",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) LinkStatus status) {
        LinkSettings settings(LinkStatus defaultStatus) {
            FieldErrors errors = new FieldErrors();
            errors.require("affiliateId", affiliateId);
            if (offerIds == null || offerIds.isEmpty()) {
                errors.add("offerIds", "a link needs at least one offer");
            }
            if (status == null && defaultStatus == null) {
                errors.add("status", "status is required on a PUT (ACTIVE or DISABLED)");
            }
            errors.throwIfAny();
            return new LinkSettings(affiliateId, offerIds, policy, policyParams == null ? Map.of() : policyParams,
                    status == null ? defaultStatus : status);
        }
    }

    /** A new link: its code and the click URL to hand to the affiliate. */
    public record LinkIssued(String id, long version, String code, String clickUrl) {
    }

    @PostMapping
    @Operation(summary = "Issue a tracking link (the server mints its code)", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<LinkIssued> create(Caller caller, @RequestBody LinkRequest request) {
        String id = ConfigCommands.newId("lnk");
        for (int attempt = 1; ; attempt++) {
            String code = LinkCodes.mint(random);
            try {
                commands.sendAndWait(new CreateLinkCommand(id, caller.tenantId(), code, request.settings(LinkStatus.ACTIVE)));
                return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/links/" + id))
                        .body(new LinkIssued(id, 1, code, domains.clickUrl(caller.tenantId().value(), code)));
            } catch (CommandExecutionException e) {
                boolean clash = e.getDetails().orElse(null) instanceof CommandRejection r
                        && LinkCommandHandler.DUPLICATE_CODE.equals(r.type());
                if (!clash || attempt == CODE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change where a link sends traffic, or its status; the code stays", security = @SecurityRequirement(name = "bearer"))
    public Saved update(Caller caller, @PathVariable("id") String id, @RequestBody LinkRequest request) {
        Long version = commands.sendAndWait(new UpdateLinkCommand(id, caller.tenantId(), request.settings(null)));
        return new Saved(id, version);
    }

    public static String clickPath(String code) {
        return "/c/" + code;
    }
}
