package io.affnet.command.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.tenant.ConfigureTrackingDomainsCommand;
import io.affnet.web.TrackingDomains;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * A tenant's own tracking host names (a CNAME to the platform, see docs/security.md): requests on them
 * are the tenant's, the click URLs the API hands out use the first, and the click cookie is then
 * first-party on the tenant's (or its advertiser's) domain.
 */
@RestController
@RequestMapping("/api/v1/tracking-domains")
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
public class TrackingDomainController {

    private final CommandGateway commands;
    private final TrackingDomains domains;

    public TrackingDomainController(CommandGateway commands, TrackingDomains domains) {
        this.commands = commands;
        this.domains = domains;
    }

    /** The tenant's tracking host names, the one click URLs use first. */
    @Schema(description = "The tenant's own tracking host names (CNAMEs to the tracker), the first one used in click URLs.")
    public record Domains(
            @Schema(description = "Host names, lower case, without scheme or port.", example = "[\"track.shop.example\"]", requiredMode = Schema.RequiredMode.REQUIRED) List<String> hosts) {
    }

    @GetMapping
    @Operation(summary = "The tenant's tracking domains", security = @SecurityRequirement(name = "bearer"))
    public Domains list(Caller caller) {
        return new Domains(domains.hostsOf(caller.tenantId().value()));
    }

    @PutMapping
    @Operation(summary = "Replace the tenant's tracking domains (tenant admin); a host another tenant holds is a 409",
            security = @SecurityRequirement(name = "bearer"))
    public Domains configure(Caller caller, @RequestBody Domains request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.hosts() == null) {
            throw ApiProblem.invalid("hosts", "hosts (a list of host names, empty for none) is required");
        }
        commands.sendAndWait(new ConfigureTrackingDomainsCommand(caller.tenantId(), request.hosts()));
        domains.forget();
        return new Domains(domains.hostsOf(caller.tenantId().value()));
    }
}
