package io.affnet.command.outbound;

import io.affnet.api.common.Role;
import io.affnet.api.outbound.ConfigureOutboundSettingsCommand;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.outbound.ResumePostbackEndpointCommand;
import io.affnet.api.outbound.RotatePostbackSecretCommand;
import io.affnet.api.outbound.SealedSecrets;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
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
    private final JdbcTemplate jdbc;
    private final byte[] sealingKey;

    public PostbackEndpointController(CommandGateway commands, JdbcTemplate jdbc,
                                      @Value("${affnet.outbound.secret-key}") String secretKey) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.sealingKey = SealedSecrets.key(secretKey);
    }

    /** One template as sent: no offer = global; offer without goal = all its goals; method defaults to GET. */
    public record TemplateRequest(String offerId, String goal, PostbackMethod method, String url) {
    }

    public record EndpointRequest(List<TemplateRequest> templates) {
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

    public record SettingsRequest(Boolean allowPrivateTargets) {
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
            templates.add(t == null ? null : new PostbackTemplate(blankToNull(t.offerId()), blankToNull(t.goal()),
                    t.method() == null ? PostbackMethod.GET : t.method(), t.url()));
        }
        String endpointId = ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId);
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outbound_endpoint WHERE affiliate_id = ? AND tenant_id = ?)",
                Boolean.class, affiliateId, caller.tenantId().value()));
        String secret = exists ? null : SealedSecrets.newSecret();
        Long version = commands.sendAndWait(new ConfigurePostbackEndpointCommand(endpointId, caller.tenantId(), affiliateId,
                templates, secret == null ? null : SealedSecrets.seal(secret, sealingKey), secret == null ? null : prefix(secret)));
        return ResponseEntity.status(exists ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new EndpointSaved(affiliateId, version, secret));
    }

    @PostMapping("/affiliates/{id}/postback/secret")
    @Operation(summary = "Replace an affiliate's postback signing secret (tenant admin); the new secret is shown once",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<SecretIssued> rotate(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        requireEndpoint(caller, affiliateId);
        String secret = SealedSecrets.newSecret();
        commands.sendAndWait(new RotatePostbackSecretCommand(ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId),
                caller.tenantId(), SealedSecrets.seal(secret, sealingKey), prefix(secret)));
        return ResponseEntity.status(HttpStatus.CREATED).body(new SecretIssued(affiliateId, secret));
    }

    @PostMapping("/affiliates/{id}/postback/resume")
    @Operation(summary = "Resume a paused postback endpoint (tenant admin); held postbacks are delivered",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> resume(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        requireEndpoint(caller, affiliateId);
        commands.sendAndWait(new ResumePostbackEndpointCommand(ConfigurePostbackEndpointCommand.endpointIdOf(affiliateId),
                caller.tenantId()));
        // Also when no pause event was recorded (a node died between counting the failures and pausing).
        jdbc.update("DELETE FROM outbound_endpoint_health WHERE affiliate_id = ? AND tenant_id = ?", affiliateId,
                caller.tenantId().value());
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/outbound-settings")
    @Operation(summary = "Allow or refuse outbound postbacks to private/loopback/link-local addresses (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public SettingsRequest settings(Caller caller, @RequestBody SettingsRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (request == null || request.allowPrivateTargets() == null) {
            throw ApiProblem.invalid("allowPrivateTargets", "allowPrivateTargets (true or false) is required");
        }
        commands.sendAndWait(new ConfigureOutboundSettingsCommand(caller.tenantId(), request.allowPrivateTargets()));
        return request;
    }

    private void requireEndpoint(Caller caller, String affiliateId) {
        boolean exists = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM outbound_endpoint WHERE affiliate_id = ? AND tenant_id = ?)",
                Boolean.class, affiliateId, caller.tenantId().value()));
        if (!exists) {
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
