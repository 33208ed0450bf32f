package io.affnet.command.postback;

import io.affnet.api.common.Role;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.tenant.ConfigurePostbacksCommand;
import io.affnet.api.tenant.IssuePostbackTokenCommand;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.api.tenant.RevokePostbackTokenCommand;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** A tenant's postback tokens and how its postbacks are read. */
@RestController
@RequestMapping("/api/v1")
@Access(Role.TENANT_ADMIN)
public class PostbackSettingsController {

    private final CommandGateway commands;
    private final ApiKeys keys;
    private final PostbackCredentials credentials;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final org.springframework.data.redis.core.StringRedisTemplate redis;

    public PostbackSettingsController(CommandGateway commands, ApiKeys keys, PostbackCredentials credentials,
                                      org.springframework.jdbc.core.JdbcTemplate jdbc,
                                      org.springframework.data.redis.core.StringRedisTemplate redis) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.commands = commands;
        this.keys = keys;
        this.credentials = credentials;
    }

    /** A new token; the secret is in this answer only. */
    public record IssuedToken(String tokenId, String token, String example) {
        @Override
        public String toString() {
            return "IssuedToken[tokenId=" + tokenId + "]";
        }
    }

    @PostMapping("/postback-tokens")
    @Operation(summary = "Issue a postback token (tenant admin); the token is shown once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<IssuedToken> issue(Caller caller) {
        ApiKeys.Minted minted = keys.mint("afn_pb_");
        String tokenId = "pbt_" + minted.keyId().substring(4);
        commands.sendAndWait(new IssuePostbackTokenCommand(caller.tenantId(), tokenId, minted.hash(), minted.displayPrefix()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedToken(tokenId, minted.key(),
                "/postback?click_id={click_id}&txn_id={order_id}&goal=sale&amount={amount}&currency=EUR&status=approved&token="
                        + minted.key()));
    }

    @DeleteMapping("/postback-tokens/{id}")
    @Operation(summary = "Revoke a postback token (tenant admin)", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> revoke(Caller caller, @PathVariable("id") String id) {
        commands.sendAndWait(new RevokePostbackTokenCommand(caller.tenantId(), id));
        credentials.forgetToken(caller.tenantId().value(), id);
        return ResponseEntity.noContent().build();
    }

    /** How the tenant's postbacks are read; an allow-list of fields. */
    public record SettingsRequest(@Size(max = 100) Map<@Size(min = 1, max = 32) String, @NotNull ConversionStatus> statusMap,
                                  ConversionStatus defaultStatus,
                                  @Valid Fraud fraud) {
    }

    public record Fraud(@Min(0) @Max(86_400) long minSecondsToConvert, @Min(0) @Max(1000) int maxConversionsPerClickGoal,
                        boolean selfReferral, boolean flagOnly) {
    }

    /** The settings in force, the tenant's tokens (never their secrets) and the refused attempts counted so far. */
    public record SettingsView(PostbackSettings settings, java.util.List<Map<String, Object>> tokens,
                               long unauthorizedAttempts, long forbiddenAttempts) {
    }

    @org.springframework.web.bind.annotation.GetMapping("/postback-settings")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
    @Operation(summary = "Postback settings, tokens (ids and prefixes only) and refused-attempt counters",
            security = @SecurityRequirement(name = "bearer"))
    public SettingsView settings(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        String tenantId = caller.tenantId().value();
        java.util.List<Map<String, Object>> tokens = jdbc.queryForList(
                "SELECT token_id AS \"tokenId\", prefix, issued_at AS \"issuedAt\", revoked_at AS \"revokedAt\" "
                        + "FROM postback_token WHERE tenant_id = ? ORDER BY issued_at", tenantId);
        return new SettingsView(credentials.settings(tenantId), tokens, counter(tenantId, "unauthorized"),
                counter(tenantId, "forbidden"));
    }

    private long counter(String tenantId, String kind) {
        String value = redis.opsForValue().get("affnet:t:" + tenantId + ":postback:" + kind);
        return value == null ? 0 : Long.parseLong(value);
    }

    @PutMapping("/postback-settings")
    @Operation(summary = "Set status words, default status and fraud rules (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public PostbackSettings configure(Caller caller, @Valid @RequestBody SettingsRequest request) {
        FraudRules fraud = request.fraud() == null ? FraudRules.defaults()
                : new FraudRules(request.fraud().minSecondsToConvert(), request.fraud().maxConversionsPerClickGoal(),
                request.fraud().selfReferral(), request.fraud().flagOnly());
        PostbackSettings settings = new PostbackSettings(request.statusMap() == null ? Map.of() : request.statusMap(),
                request.defaultStatus() == null ? ConversionStatus.APPROVED : request.defaultStatus(), fraud);
        commands.sendAndWait(new ConfigurePostbacksCommand(caller.tenantId(), settings));
        credentials.invalidate(io.affnet.api.config.ConfigCacheKeys.postbackSettings(caller.tenantId().value()));
        return settings;
    }
}
