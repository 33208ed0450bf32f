package io.affnet.command.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.tenant.IssueApiKeyCommand;
import io.affnet.api.tenant.RevokeApiKeyCommand;
import io.affnet.api.tenant.RotateApiKeyCommand;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant admin's API keys for the principals of its tenant. The secret is in the answer that creates
 * it and nowhere else: events, tables and logs only ever see its id, prefix and keyed hash.
 */
@RestController
@RequestMapping("/api/v1/keys")
@Access(Role.TENANT_ADMIN)
public class ApiKeyController {

    public static final long DEFAULT_OVERLAP_SECONDS = 3600;

    private final CommandGateway commands;
    private final ApiKeys keys;

    public ApiKeyController(CommandGateway commands, ApiKeys keys) {
        this.commands = commands;
        this.keys = keys;
    }

    /**
     * A key to create: its role, and for an AFFILIATE or ADVERTISER key the affiliate or advertiser it
     * speaks for (of the caller's tenant). An allow-list: tenant, principal and secret are never read.
     */
    public record KeyRequest(
            @Schema(description = "What the key may do.", example = "AFFILIATE", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Role role,
            @Schema(description = "For an AFFILIATE key: the affiliate it speaks for.", example = "aff_5b7c1d", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            @Size(max = 64) String affiliateId,
            @Schema(description = "For an ADVERTISER key: the advertiser it speaks for.", example = "adv_3f9c2a", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            @Size(max = 64) String advertiserId,
            @Schema(description = "A note to tell keys apart.", example = "reporting dashboard", requiredMode = Schema.RequiredMode.NOT_REQUIRED) @Size(max = 100) String label) {
    }

    /** A new key: {@code key} is shown here once and never again. */
    public record IssuedKey(String keyId, String key, String keyPrefix, Role role, String principalId, String label,
                            Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedKey[keyId=" + keyId + ", role=" + role + ", principalId=" + principalId + "]";
        }
    }

    @PostMapping
    @Operation(summary = "Create an API key for a role of the caller's tenant (tenant admin); the key is shown once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<IssuedKey> create(Caller caller, @Valid @RequestBody KeyRequest request) {
        String principalId = principal(request);
        ApiKeys.Minted minted = keys.mint();
        commands.sendAndWait(new IssueApiKeyCommand(caller.tenantId(), minted.keyId(), minted.hash(), minted.displayPrefix(),
                principalId, request.role(), request.label(), caller.principalId()));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/keys/" + minted.keyId()))
                .body(new IssuedKey(minted.keyId(), minted.key(), minted.displayPrefix(), request.role(), principalId,
                        request.label(), null));
    }

    @PostMapping("/{id}/rotate")
    @Operation(summary = "Replace a key (tenant admin): a new key for the same principal; the old one works for overlapSeconds more",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<IssuedKey> rotate(Caller caller, @PathVariable("id") String id,
                                            @RequestParam(name = "overlapSeconds", required = false) Long overlapSeconds) {
        long overlap = overlapSeconds == null ? DEFAULT_OVERLAP_SECONDS : overlapSeconds;
        ApiKeys.Minted minted = keys.mint();
        commands.sendAndWait(new RotateApiKeyCommand(caller.tenantId(), id, overlap, minted.keyId(), minted.hash(),
                minted.displayPrefix(), caller.principalId()));
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/keys/" + minted.keyId()))
                .body(new IssuedKey(minted.keyId(), minted.key(), minted.displayPrefix(), null, null, null, null));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key at once, on every node (tenant admin)", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> revoke(Caller caller, @PathVariable("id") String id) {
        commands.sendAndWait(new RevokeApiKeyCommand(caller.tenantId(), id, caller.principalId()));
        return ResponseEntity.noContent().build();
    }

    /** Affiliate and advertiser keys speak for that affiliate or advertiser; people's keys get a fresh principal id. */
    private static String principal(KeyRequest request) {
        if (request.role() == Role.AFFILIATE) {
            if (request.affiliateId() == null || request.advertiserId() != null) {
                throw ApiProblem.invalid("affiliateId", "An AFFILIATE key needs affiliateId (and no advertiserId).");
            }
            return request.affiliateId();
        }
        if (request.role() == Role.ADVERTISER) {
            if (request.advertiserId() == null || request.affiliateId() != null) {
                throw ApiProblem.invalid("advertiserId", "An ADVERTISER key needs advertiserId (and no affiliateId).");
            }
            return request.advertiserId();
        }
        if (request.affiliateId() != null || request.advertiserId() != null) {
            throw ApiProblem.invalid("role", "Only AFFILIATE and ADVERTISER keys are bound to an affiliate or advertiser.");
        }
        if (request.role() == Role.OPERATOR) {
            throw ApiProblem.invalid("role", "role must be one of TENANT_ADMIN, TENANT_ANALYST, AFFILIATE, ADVERTISER, AUDITOR.");
        }
        return "usr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }
}
