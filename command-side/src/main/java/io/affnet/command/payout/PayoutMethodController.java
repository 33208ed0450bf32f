package io.affnet.command.payout;

import io.affnet.api.common.Role;
import io.affnet.api.payout.AddPayoutMethodCommand;
import io.affnet.api.payout.ConfirmPayoutMethodCommand;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutProcessorSupport;
import io.affnet.api.payout.PayoutProfileId;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Adding and confirming an affiliate's payout methods, by tenant admins only: adding only requests
 * the method, a second step (a tenant admin's confirmation) makes it usable, and both are events in
 * the audit trail. An affiliate key can never change where money goes. A method the processor does not support for the affiliate's
 * country and currency is refused here, not when a run fails: the payout side (sagas) answers which
 * processors can pay whom ({@link PayoutProcessorSupport}).
 */
@RestController
@RequestMapping("/api/v1")
@Access(Role.TENANT_ADMIN)
public class PayoutMethodController {

    private static final Pattern STRIPE_ACCOUNT = Pattern.compile("acct_[A-Za-z0-9]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[A-Za-z]{2,24}");
    private static final Pattern PAYER_ID = Pattern.compile("[A-Z0-9]{13}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final CommandGateway commands;
    private final PayoutMethodReads reads;
    private final PayoutProcessorSupport processors;
    private final Clock clock;

    public PayoutMethodController(CommandGateway commands, PayoutMethodReads reads, PayoutProcessorSupport processors,
                                  Clock clock) {
        this.commands = commands;
        this.reads = reads;
        this.processors = processors;
        this.clock = clock;
    }

    /** {@code recipientType}: PayPal only, EMAIL (default) or PAYPAL_ID. */
    @Schema(description = "A payout method for an affiliate; used once a tenant admin confirms it.")
    public record MethodRequest(
            @Schema(description = "STRIPE or PAYPAL.", example = "STRIPE", requiredMode = Schema.RequiredMode.REQUIRED) String processor,
            @Schema(description = "Stripe: the connected account (acct_...); PayPal: an email or a PayPal payer id.", example = "acct_1MTfjCQ9PRzxEwkZ", requiredMode = Schema.RequiredMode.REQUIRED) String destination,
            @Schema(description = "PayPal only: EMAIL (default) or PAYPAL_ID.", example = "EMAIL", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String recipientType,
            @Schema(description = "ISO-4217 currency the affiliate is paid in.", example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            @Schema(description = "ISO-3166 alpha-2 country of the affiliate.", example = "DE", requiredMode = Schema.RequiredMode.REQUIRED) String country,
            @Schema(description = "Whether this becomes the affiliate's default method.", example = "true", requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean makeDefault) {
    }

    @PostMapping("/affiliates/{id}/payout-methods")
    @Operation(summary = "Request a payout method for an affiliate (tenant admin); it is used once a tenant admin confirms it",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Map<String, Object>> add(Caller caller, @PathVariable("id") String affiliateId,
                                                   @RequestBody MethodRequest request) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        requireAffiliate(caller, affiliateId);
        if (request == null) {
            throw ApiProblem.invalid("body", "a JSON body is required");
        }
        String processor = request.processor() == null ? "" : request.processor().toUpperCase(Locale.ROOT);
        if (!processor.equals("STRIPE") && !processor.equals("PAYPAL")) {
            throw ApiProblem.invalid("processor", "processor must be STRIPE or PAYPAL");
        }
        String currency = request.currency() == null ? "" : request.currency().toUpperCase(Locale.ROOT);
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("currency", "currency must be an ISO-4217 code");
        }
        String country = request.country() == null ? "" : request.country().toUpperCase(Locale.ROOT);
        if (!COUNTRY.matcher(country).matches()) {
            throw ApiProblem.invalid("country", "country must be an ISO-3166 alpha-2 code");
        }
        String destination = request.destination() == null ? "" : request.destination().trim();
        String recipientType = "";
        if (processor.equals("STRIPE")) {
            if (!STRIPE_ACCOUNT.matcher(destination).matches()) {
                throw ApiProblem.invalid("destination", "a Stripe destination is a connected account id (acct_...)");
            }
        } else {
            recipientType = request.recipientType() == null ? "EMAIL" : request.recipientType().toUpperCase(Locale.ROOT);
            Pattern shape = switch (recipientType) {
                case "EMAIL" -> EMAIL;
                case "PAYPAL_ID" -> PAYER_ID;
                default -> throw ApiProblem.invalid("recipientType", "recipientType must be EMAIL or PAYPAL_ID");
            };
            if (!shape.matcher(destination).matches()) {
                throw ApiProblem.invalid("destination", "a PayPal destination is an email address or a 13-character payer id");
            }
        }
        if (!processors.available(processor)) {
            throw ApiProblem.invalid("processor", processor + " is not available on this platform");
        }
        processors.refusal(processor, country, currency).ifPresent(refusal -> {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "payout-method-unsupported", refusal,
                    Map.of("errors", Map.of("currency", refusal)));
        });
        String methodId = "pm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        commands.sendAndWait(new AddPayoutMethodCommand(PayoutProfileId.of(caller.tenantId(), affiliateId), caller.tenantId(),
                affiliateId, new PayoutMethod(methodId, processor, destination, recipientType, currency, country),
                Boolean.TRUE.equals(request.makeDefault()), caller.principalId(), clock.instant()));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("methodId", methodId, "status", "AWAITING_CONFIRMATION"));
    }

    @PostMapping("/affiliates/{id}/payout-methods/{methodId}/confirm")
    @Operation(summary = "Confirm a requested payout method (tenant admin only)", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> confirm(Caller caller, @PathVariable("id") String affiliateId,
                                       @PathVariable("methodId") String methodId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        if (!reads.methodExists(caller.tenantId().value(), affiliateId, methodId)) {
            throw ApiProblem.notFound("Payout method");
        }
        commands.sendAndWait(new ConfirmPayoutMethodCommand(PayoutProfileId.of(caller.tenantId(), affiliateId),
                caller.tenantId(), methodId, caller.principalId(), clock.instant()));
        return Map.of("methodId", methodId, "status", "CONFIRMED");
    }

    private void requireAffiliate(Caller caller, String affiliateId) {
        if (!reads.affiliateExists(caller.tenantId().value(), affiliateId)) {
            throw ApiProblem.notFound("Affiliate");
        }
    }
}
