package io.affnet.command.outbound;

import io.affnet.api.common.Role;
import io.affnet.api.outbound.ConfigureOutboundSettingsCommand;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackSecrets;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.outbound.ResumePostbackEndpointCommand;
import io.affnet.api.outbound.RotatePostbackSecretCommand;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
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

import java.util.ArrayList;
import java.util.List;

/**
 * Configures where an affiliate receives our postbacks, its signing secret (shown once), resuming a
 * paused endpoint, and the tenant's outbound settings. Reads are on the query side.
 */
@RestController
@RequestMapping("/api/v1")
@Access(Role.TENANT_ADMIN)
public class PostbackEndpointController {

    private final CommandGateway commands;
    private final OutboundEndpoints endpoints;
    private final PostbackSecrets secrets;

    public PostbackEndpointController(CommandGateway commands, OutboundEndpoints endpoints, PostbackSecrets secrets) {
        this.commands = commands;
        this.endpoints = endpoints;
        this.secrets = secrets;
    }

    /** One template as sent: no offer = global; offer without goal = all its goals; method defaults to GET. */
    public record TemplateRequest(
            @Schema(description = "Offer the template is for; left out = every offer.", example = "off_8d1e0b", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String offerId,
            @Schema(description = "Goal of that offer; left out = every goal.", example = "sale", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String goal,
            @Schema(description = "GET or POST; left out = GET.", example = "GET", requiredMode = Schema.RequiredMode.NOT_REQUIRED) PostbackMethod method,
            @Schema(description = "The affiliate's URL with macros such as {click_id}, {sub1}, {payout}, {status}.",
                    example = "https://tracker.example/pb?cid={sub1}&amount={payout}", maxLength = 2048, requiredMode = Schema.RequiredMode.REQUIRED) String url,
            @Schema(description = "Left out = conversions; 'payouts' = this URL receives the affiliate's payout state changes "
                    + "(sent, paid, failed, returned, reversed) as signed JSON POSTs: no offerId, no goal, no macros, method POST.",
                    example = "payouts", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String topic) {
    }

    public record PayoutWebhookRequest(
            @Schema(description = "The tenant's URL that receives every payout state change of its affiliates as a signed JSON POST "
                    + "(docs/payouts.md, Payout notifications); no macros.", example = "https://ops.example/affnet/payouts",
                    maxLength = 2048, requiredMode = Schema.RequiredMode.REQUIRED) String url) {
    }

    public record EndpointRequest(
            @Schema(description = "The affiliate's postback templates, most specific first.", requiredMode = Schema.RequiredMode.REQUIRED) List<TemplateRequest> templates) {
    }

    /** The answer to a change; {@code secret} is present once: when the endpoint is created or the secret rotated. */
    public record EndpointSaved(String affiliateId, long version, String secret) {
        @Override
        public String toString() {
            return "EndpointSaved[affiliateId=" + affiliateId + ", version=" + version + "]";
        }
    }

    public record SecretIssued(String affiliateId, String secret) {
        @Override
        public String toString() {
            return "SecretIssued[affiliateId=" + affiliateId + "]";
        }
    }

    public record SettingsRequest(
            @Schema(description = "Whether postbacks may go to private and loopback addresses (tests, on-premise trackers).",
                    example = "false", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean allowPrivateTargets) {
    }

    @PutMapping("/affiliates/{id}/postback")
    @Operation(summary = "Set an affiliate's outbound postback templates (tenant admin); the signing secret is returned on creation only",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<EndpointSaved> configure(Caller caller, @PathVariable("id") String affiliateId,
                                                   @RequestBody EndpointRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.templates() == null) {
            throw ApiProblem.invalid("templates", "templates is required (an empty list removes all)");
        }
        List<PostbackTemplate> templates = new ArrayList<>();
        for (TemplateRequest t : request.templates()) {
            boolean payouts = PostbackTemplate.PAYOUTS.equals(t == null ? null : t.topic());
            templates.add(t == null ? null : new PostbackTemplate(blankToNull(t.offerId()), blankToNull(t.goal()),
                    t.method() == null ? (payouts ? PostbackMethod.POST : PostbackMethod.GET) : t.method(), t.url(),
                    blankToNull(t.topic())));
        }
        requireAffiliateId(affiliateId);
        return save(caller, affiliateId, templates);
    }

    @PutMapping("/payout-webhook")
    @Operation(summary = "Set the tenant's own endpoint for payout state changes of all its affiliates (tenant admin); "
            + "the signing secret is returned on creation only", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<EndpointSaved> configurePayoutWebhook(Caller caller, @RequestBody PayoutWebhookRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.url() == null || request.url().isBlank()) {
            throw ApiProblem.invalid("url", "url is required");
        }
        return save(caller, ConfigurePostbackEndpointCommand.tenantOwner(caller.tenantId()),
                List.of(PostbackTemplate.payouts(request.url())));
    }

    @PostMapping("/payout-webhook/secret")
    @Operation(summary = "Replace the signing secret of the tenant's payout endpoint (tenant admin); shown once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<SecretIssued> rotatePayoutWebhookSecret(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        return rotateSecret(caller, ConfigurePostbackEndpointCommand.tenantOwner(caller.tenantId()));
    }

    @PostMapping("/payout-webhook/resume")
    @Operation(summary = "Resume the tenant's paused payout endpoint (tenant admin)", security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> resumePayoutWebhook(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        return resumeEndpoint(caller, ConfigurePostbackEndpointCommand.tenantOwner(caller.tenantId()));
    }

    /** Creates (secret shown once) or replaces the templates of the endpoint of an affiliate or of the tenant. */
    private ResponseEntity<EndpointSaved> save(Caller caller, String affiliateId, List<PostbackTemplate> templates) {
        String endpointId = ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId);
        boolean exists = endpoints.exists(caller.tenantId(), affiliateId);
        PostbackSecrets.Issued issued = exists ? null : secrets.issue();
        String secret = issued == null ? null : issued.secret();
        Long version = commands.sendAndWait(new ConfigurePostbackEndpointCommand(endpointId, caller.tenantId(), affiliateId,
                templates, issued == null ? null : issued.sealed(), secret == null ? null : prefix(secret)));
        return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new EndpointSaved(affiliateId, version, secret));
    }

    @PostMapping("/affiliates/{id}/postback/secret")
    @Operation(summary = "Replace an affiliate's postback signing secret (tenant admin); the new secret is shown once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<SecretIssued> rotate(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        requireAffiliateId(affiliateId);
        return rotateSecret(caller, affiliateId);
    }

    private ResponseEntity<SecretIssued> rotateSecret(Caller caller, String affiliateId) {
        requireEndpoint(caller, affiliateId);
        PostbackSecrets.Issued issued = secrets.issue();
        String secret = issued.secret();
        commands.sendAndWait(new RotatePostbackSecretCommand(ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId),
                caller.tenantId(), issued.sealed(), prefix(secret)));
        return ResponseEntity.status(HttpStatus.CREATED).body(new SecretIssued(affiliateId, secret));
    }

    @PostMapping("/affiliates/{id}/postback/resume")
    @Operation(summary = "Resume a paused postback endpoint (tenant admin); held postbacks are delivered",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> resume(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        requireAffiliateId(affiliateId);
        return resumeEndpoint(caller, affiliateId);
    }

    private ResponseEntity<Void> resumeEndpoint(Caller caller, String affiliateId) {
        requireEndpoint(caller, affiliateId);
        commands.sendAndWait(new ResumePostbackEndpointCommand(ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId),
                caller.tenantId()));
        endpoints.clearHealth(caller.tenantId(), affiliateId);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/outbound-settings")
    @Operation(summary = "Outbound postback settings (tenant admin). Private targets are the operator's configuration "
            + "(affnet.outbound.private-targets), never a tenant's: allowPrivateTargets true is refused",
            security = @SecurityRequirement(name = "bearer"))
    public SettingsRequest settings(Caller caller, @RequestBody SettingsRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.allowPrivateTargets() == null) {
            throw ApiProblem.invalid("allowPrivateTargets", "allowPrivateTargets (false) is required");
        }
        if (request.allowPrivateTargets()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "private-targets-operator-only", "Outbound postbacks may only "
                    + "go to globally routable addresses; exceptions are the operator's installation-wide configuration "
                    + "(affnet.outbound.private-targets), not a tenant setting.");
        }
        commands.sendAndWait(new ConfigureOutboundSettingsCommand(caller.tenantId(), request.allowPrivateTargets()));
        return request;
    }

    /** The tenant's own endpoint (owner id {@code tenant:…}) is reached through /payout-webhook only. */
    private static void requireAffiliateId(String affiliateId) {
        if (affiliateId.indexOf(':') >= 0) {
            throw ApiProblem.notFound("Affiliate");
        }
    }

    private void requireEndpoint(Caller caller, String affiliateId) {
        if (!endpoints.exists(caller.tenantId(), affiliateId)) {
            throw ApiProblem.notFound("Postback endpoint");
        }
    }

    private static String prefix(String secret) {
        return secret.substring(0, 10);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
