package io.affnet.command.postback;

import io.affnet.api.common.Role;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.ReviewRules;
import io.affnet.api.tenant.ConfigurePostbacksCommand;
import io.affnet.api.tenant.IssuePostbackTokenCommand;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.api.tenant.RevokePostbackTokenCommand;
import io.affnet.web.auth.ApiKeys;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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

import java.math.BigDecimal;
import java.util.Map;

/** A tenant's postback tokens and how its postbacks are read. */
@RestController
@RequestMapping("/api/v1")
@Access(Role.TENANT_ADMIN)
public class PostbackSettingsController {

    private final CommandGateway commands;
    private final ApiKeys keys;
    private final PostbackCredentials credentials;
    private final PostbackCounters counters;

    public PostbackSettingsController(CommandGateway commands, ApiKeys keys, PostbackCredentials credentials,
                                      PostbackCounters counters) {
        this.counters = counters;
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

    /** An advertiser's own token: it reaches only conversions on that advertiser's offers. Revoked like any other. */
    @PostMapping("/advertisers/{advertiserId}/postback-tokens")
    @Operation(summary = "Issue a postback token for one advertiser (tenant admin): it reaches only that advertiser's "
            + "offers; shown once", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<IssuedToken> issueForAdvertiser(Caller caller, @PathVariable("advertiserId") String advertiserId) {
        ApiKeys.Minted minted = keys.mint("afn_pb_");
        String tokenId = "pbt_" + minted.keyId().substring(4);
        commands.sendAndWait(new io.affnet.api.tenant.IssueAdvertiserPostbackTokenCommand(caller.tenantId(), advertiserId,
                tokenId, minted.hash(), minted.displayPrefix()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new IssuedToken(tokenId, minted.key(),
                "/postback?click_id={click_id}&txn_id={order_id}&goal=sale&amount={amount}&currency=EUR&status=approved&token="
                        + minted.key()));
    }

    @DeleteMapping("/postback-tokens/{id}")
    @Operation(summary = "Revoke a postback token (tenant admin)", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> revoke(Caller caller, @PathVariable("id") String id) {
        // The projection drops this node's cached token before this answer (LocalConfigCache), the others' on its announcement.
        commands.sendAndWait(new RevokePostbackTokenCommand(caller.tenantId(), id));
        return ResponseEntity.noContent().build();
    }

    /** How the tenant's postbacks are read; an allow-list of fields. */
    public record SettingsRequest(
            @Schema(description = "Status words or codes the tenant's advertisers send, and what each means.",
                    example = "{\"1\":\"APPROVED\",\"2\":\"PENDING\",\"3\":\"REJECTED\"}", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            @Size(max = 100) Map<@Size(min = 1, max = 32) String, @NotNull ConversionStatus> statusMap,
            @Schema(description = "Status of a postback without one; left out = APPROVED.", example = "PENDING", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            ConversionStatus defaultStatus,
            @Schema(description = "Fraud rules; left out = the defaults (10 s, 5 per click and goal, self-referral on).", requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            @Valid Fraud fraud,
            @Schema(description = "Which conversions are held for review instead of approved, and whether advertisers "
                    + "moderate their own offers' conversions; left out = none held, advertisers do not moderate.",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED)
            @Valid Review review) {
    }

    @Schema(description = "Hold-for-review rules (a held conversion is recorded as pending, flagged review_amount or "
            + "review_flagged_click, and waits for a moderator) and who moderates.")
    public record Review(
            @Schema(description = "Hold a conversion whose payout is above this amount in the offer's currency; left out = no limit.",
                    example = "50.00") @jakarta.validation.constraints.DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1000000000") BigDecimal holdAbove,
            @Schema(description = "Per offer id: a limit replacing holdAbove for that offer.", example = "{\"off_1a2b3c\": \"20.00\"}")
            @Size(max = 1000) Map<@Size(min = 1, max = 64) String, @NotNull @jakarta.validation.constraints.DecimalMin("0")
                    @jakarta.validation.constraints.DecimalMax("1000000000") BigDecimal> offerHoldAbove,
            @Schema(description = "Hold conversions on clicks the click path flagged (hosting-network traffic on an offer that flags it); left out = false.", example = "true")
            Boolean holdFlaggedClicks,
            @Schema(description = "Advertisers may approve, reject, reverse and adjust the revenue of conversions on their own offers; left out = false.", example = "false")
            Boolean advertisersModerate) {
    }

    @Schema(description = "Fraud rules applied to every postback of the tenant.")
    public record Fraud(
            @Schema(description = "Conversions sooner than this many seconds after their click are refused (fraud_too_fast).",
                    example = "10", minimum = "0", maximum = "86400") @Min(0) @Max(86_400) long minSecondsToConvert,
            @Schema(description = "Most conversions per click and goal; 0 = no limit.", example = "5", minimum = "0",
                    maximum = "1000") @Min(0) @Max(1000) int maxConversionsPerClickGoal,
            @Schema(description = "Refuse conversions whose click came from the affiliate's own postback address.",
                    example = "true") boolean selfReferral,
            @Schema(description = "Only flag what the rules catch (held as pending) instead of refusing it.",
                    example = "false") boolean flagOnly,
            @Schema(description = "Whether an approval credits a transaction the advertiser first declined (status=3 in "
                    + "TUNE's scheme); left out = false: it stays rejected as 'declined'.", example = "false",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean allowReapproval) {
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
        return new SettingsView(credentials.settings(tenantId), credentials.tokens(tenantId),
                counters.read(tenantId, PostbackCounters.Kind.UNAUTHORIZED),
                counters.read(tenantId, PostbackCounters.Kind.FORBIDDEN));
    }

    @PutMapping("/postback-settings")
    @Operation(summary = "Set status words, default status and fraud rules (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public PostbackSettings configure(Caller caller, @Valid @RequestBody SettingsRequest request) {
        FraudRules fraud = request.fraud() == null ? FraudRules.defaults()
                : new FraudRules(request.fraud().minSecondsToConvert(), request.fraud().maxConversionsPerClickGoal(),
                request.fraud().selfReferral(), request.fraud().flagOnly(), Boolean.TRUE.equals(request.fraud().allowReapproval()));
        ReviewRules review = request.review() == null ? null : new ReviewRules(request.review().holdAbove(),
                request.review().offerHoldAbove() == null ? Map.of() : request.review().offerHoldAbove(),
                Boolean.TRUE.equals(request.review().holdFlaggedClicks()), Boolean.TRUE.equals(request.review().advertisersModerate()));
        PostbackSettings settings = new PostbackSettings(request.statusMap() == null ? Map.of() : request.statusMap(),
                request.defaultStatus() == null ? ConversionStatus.APPROVED : request.defaultStatus(), fraud, review);
        commands.sendAndWait(new ConfigurePostbacksCommand(caller.tenantId(), settings));
        return settings;
    }
}
