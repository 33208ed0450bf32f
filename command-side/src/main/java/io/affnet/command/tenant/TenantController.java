package io.affnet.command.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.ReactivateTenantCommand;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.api.tenant.SuspendTenantCommand;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

@RestController
@RequestMapping("/api/v1/tenants")
public class TenantController {

    private final CommandGateway commands;
    private final ApiKeys apiKeys;

    public TenantController(CommandGateway commands, ApiKeys apiKeys) {
        this.commands = commands;
        this.apiKeys = apiKeys;
    }

    /** What an operator sends to register a tenant; an allow-list, nothing else is read. */
    @Schema(description = "A tenant to register.")
    public record RegisterTenantRequest(
            @Schema(description = "Short unique name (lower-case letters, digits, '-').", example = "acme", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Size(max = 40) String slug,
            @Schema(description = "Display name.", example = "Acme Network", requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 200) String name,
            @Schema(description = "IANA time zone of day boundaries, caps and reports; left out = UTC.", example = "Europe/Berlin",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) @Size(max = 64) String timezone,
            @Schema(description = "ISO-4217 currency reports are converted to; left out = USD.", example = "EUR",
                    pattern = "^[A-Z]{3}$", requiredMode = Schema.RequiredMode.NOT_REQUIRED) @Size(min = 3, max = 3) String currency) {
    }

    /** The answer to a registration: the admin key is shown here once and never again. */
    public record TenantRegistered(String tenantId, String slug, String adminKeyId, String adminKey) {
        @Override
        public String toString() {
            return "TenantRegistered[tenantId=" + tenantId + ", slug=" + slug + ", adminKeyId=" + adminKeyId + "]";
        }
    }

    @PostMapping
    @Access(Role.OPERATOR)
    @Operation(summary = "Register a tenant (operator only); returns its first admin API key once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<TenantRegistered> register(Caller caller, @Valid @RequestBody RegisterTenantRequest request) {
        TenantId tenantId = TenantId.generate();
        ApiKeys.Minted key = apiKeys.mint();
        commands.sendAndWait(new RegisterTenantCommand(tenantId, request.slug(), request.name(),
                request.timezone() == null ? "UTC" : request.timezone(),
                request.currency() == null ? "USD" : request.currency(),
                key.keyId(), key.hash(), key.displayPrefix()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/tenants/" + tenantId.value()))
                .body(new TenantRegistered(tenantId.value(), request.slug(), key.keyId(), key.key()));
    }

    /** Why the operator suspends a tenant (kept in the event, shown to operators only). */
    public record SuspendRequest(@Schema(description = "Why (shown to operators only).", example = "unpaid invoice",
            requiredMode = Schema.RequiredMode.NOT_REQUIRED) @Size(max = 500) String reason) {
    }

    /** What a tenant's status is after a suspension or reactivation. */
    public record TenantStatus(String tenantId, String status) {
    }

    @PostMapping("/{id}/suspend")
    @Access(Role.OPERATOR)
    @Operation(summary = "Suspend a tenant (operator only): its links stop redirecting, its keys and postbacks are refused at once",
            security = @SecurityRequirement(name = "bearer"))
    public TenantStatus suspend(Caller caller, @PathVariable("id") String id,
                                @Valid @RequestBody(required = false) SuspendRequest request) {
        commands.sendAndWait(new SuspendTenantCommand(TenantId.of(id), request == null ? null : request.reason(),
                caller.principalId()));
        return new TenantStatus(id, "SUSPENDED");
    }

    @PostMapping("/{id}/reactivate")
    @Access(Role.OPERATOR)
    @Operation(summary = "Lift a tenant's suspension (operator only)", security = @SecurityRequirement(name = "bearer"))
    public TenantStatus reactivate(Caller caller, @PathVariable("id") String id) {
        commands.sendAndWait(new ReactivateTenantCommand(TenantId.of(id), caller.principalId()));
        return new TenantStatus(id, "ACTIVE");
    }
}
