package io.affnet.command.payout;

import io.affnet.api.common.Role;
import io.affnet.api.payout.ProcessorConnections;
import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tenant connects its Stripe or PayPal account: the credentials are sealed at rest and never shown
 * again; reading answers only whether each processor is connected, since when, and where to point the
 * processor's webhooks. The credentials are the payout side's ({@link ProcessorConnections}, in sagas);
 * this edge checks the request's shape and turns refusals into problem documents.
 */
@RestController
@RequestMapping("/api/v1/payout-processors")
public class ProcessorAccountController {

    private static final int MAX_SECRET = 512;

    /** The processors a tenant may connect, as the API names them. */
    private static final List<String> PROCESSORS = List.of("STRIPE", "PAYPAL");

    private final ProcessorConnections connections;

    public ProcessorAccountController(ProcessorConnections connections) {
        this.connections = connections;
    }

    /**
     * @param key           Stripe: the secret or restricted key ({@code sk_...}, {@code rk_...}); PayPal: the client id
     * @param secret        PayPal: the client secret (Stripe: none)
     * @param webhookSecret Stripe: the endpoint's signing secret ({@code whsec_...}); PayPal: none
     * @param previousWebhookSecret Stripe: the secret being rolled, still accepted during the overlap
     * @param webhookId     PayPal: the id PayPal gave the webhook subscription (checked in verify-webhook-signature)
     */
    @Schema(description = "The tenant's credentials at a processor; stored sealed, never returned.")
    public record ConnectRequest(
            @Schema(description = "The processor's API base URL (https; local test bases only where the operator allows them).", example = "https://api.stripe.com", requiredMode = Schema.RequiredMode.REQUIRED) String apiBase,
            @Schema(description = "Stripe: the secret key; PayPal: the client id.", example = "sk_live_...", requiredMode = Schema.RequiredMode.REQUIRED) String key,
            @Schema(description = "PayPal: the client secret; Stripe: not used.", example = "EJ...", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String secret,
            @Schema(description = "Stripe: the webhook signing secret (whsec_...).", example = "whsec_...", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String webhookSecret,
            @Schema(description = "Stripe: the previous signing secret, accepted during a rotation.", example = "whsec_...", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String previousWebhookSecret,
            @Schema(description = "PayPal: the id of the webhook subscription, checked by verify-webhook-signature.", example = "8PT597110X687430LKGECATA", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String webhookId) {
        @Override
        public String toString() {
            return "ConnectRequest[" + apiBase + ", secrets hidden]";
        }
    }

    /** What a reader sees: never a credential. */
    public record ProcessorConnection(String processor, boolean connected, Instant connectedAt, String webhookPath) {
    }

    @PutMapping("/{processor}")
    @Access(Role.TENANT_ADMIN)
    @Operation(summary = "Connect the tenant's Stripe or PayPal account (credentials are sealed and never returned; tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public ProcessorConnection connect(Caller caller, @PathVariable("processor") String processor, @RequestBody ConnectRequest body) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        String name = name(processor);
        boolean stripe = name.equals("STRIPE");
        if (body == null) {
            throw ApiProblem.invalid("body", "a JSON body with apiBase and the credentials is required");
        }
        connections.apiBaseRefusal(body.apiBase()).ifPresent(r -> {
            throw ApiProblem.invalid("apiBase", r);
        });
        String key = required("key", body.key());
        if (stripe) {
            if (!key.startsWith("sk_") && !key.startsWith("rk_")) {
                throw ApiProblem.invalid("key", "a Stripe key is a secret (sk_...) or restricted (rk_...) key");
            }
            String whsec = required("webhookSecret", body.webhookSecret());
            if (!whsec.startsWith("whsec_") || (body.previousWebhookSecret() != null && !body.previousWebhookSecret().startsWith("whsec_"))) {
                throw ApiProblem.invalid("webhookSecret", "a Stripe webhook signing secret starts with whsec_");
            }
            bounded("previousWebhookSecret", body.previousWebhookSecret());
        } else {
            required("secret", body.secret());
            String hook = required("webhookId", body.webhookId());
            if (!hook.matches("[A-Za-z0-9]{1,64}")) {
                throw ApiProblem.invalid("webhookId", "a PayPal webhook id is letters and digits");
            }
        }
        String apiBase = body.apiBase().endsWith("/") ? body.apiBase().substring(0, body.apiBase().length() - 1) : body.apiBase();
        Instant at = connections.connect(caller.tenantId().value(), name, new ProcessorCredentials(apiBase, key,
                stripe ? null : body.secret(),
                stripe ? body.webhookSecret() : null,
                stripe ? body.previousWebhookSecret() : null,
                stripe ? null : body.webhookId()));
        return new ProcessorConnection(processor.toLowerCase(Locale.ROOT), true, at, webhookPath(name, caller));
    }

    @GetMapping
    @Access({Role.TENANT_ADMIN, Role.AUDITOR})
    @Operation(summary = "Which payment processors the tenant has connected, and since when (no credentials)",
            security = @SecurityRequirement(name = "bearer"))
    public List<ProcessorConnection> connections(Caller caller) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.AUDITOR);
        Map<String, Instant> since = connections.connectedSince(caller.tenantId().value());
        return PROCESSORS.stream().map(n -> new ProcessorConnection(n.toLowerCase(Locale.ROOT), since.containsKey(n), since.get(n),
                webhookPath(n, caller))).toList();
    }

    private static String webhookPath(String name, Caller caller) {
        return "/webhooks/" + name.toLowerCase(Locale.ROOT) + "/" + caller.tenantId().value();
    }

    private static String name(String processor) {
        return switch (processor) {
            case "stripe" -> "STRIPE";
            case "paypal" -> "PAYPAL";
            default -> throw ApiProblem.notFound("Payment processor");
        };
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, field + " is required");
        }
        return bounded(field, value);
    }

    private static String bounded(String field, String value) {
        if (value != null && (value.length() > MAX_SECRET || !value.matches("[\\x21-\\x7e]+"))) {
            throw ApiProblem.invalid(field, field + " is at most " + MAX_SECRET + " printable characters without spaces");
        }
        return value;
    }
}
