package io.affnet.command.payout;

import io.affnet.api.payout.ProcessorWebhooks;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;
import java.util.Map;

/**
 * Stripe's and PayPal's webhooks for a tenant, at {@code POST /webhooks/stripe/{tenantId}} and
 * {@code POST /webhooks/paypal/{tenantId}} (the URLs the tenant gives its processors). Unauthenticated:
 * this edge checks the tenant id's shape and reads a bounded body; the payout side (sagas'
 * {@code WebhookIntake}, through {@link ProcessorWebhooks}) checks the signature with the tenant's
 * credentials, reads the event and reports it once. Its refusals become problem documents here.
 */
@RestController
@Hidden
public class ProcessorWebhookController {

    private final ProcessorWebhooks webhooks;

    public ProcessorWebhookController(ProcessorWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/webhooks/stripe/{tenantId}")
    public Map<String, Object> stripe(@PathVariable("tenantId") String tenantId, HttpServletRequest request) {
        return receive("STRIPE", tenantId, request);
    }

    @PostMapping("/webhooks/paypal/{tenantId}")
    public Map<String, Object> paypal(@PathVariable("tenantId") String tenantId, HttpServletRequest request) {
        return receive("PAYPAL", tenantId, request);
    }

    private Map<String, Object> receive(String processor, String tenantId, HttpServletRequest request) {
        String tenant = WebhookRequests.tenant(tenantId);
        byte[] body = WebhookRequests.body(request, webhooks.maxBodyBytes());
        try {
            ProcessorWebhooks.Receipt receipt = webhooks.receive(processor, tenant, request::getHeader, body);
            return Map.of("received", true, "duplicate", receipt.duplicate());
        } catch (ProcessorWebhooks.Refused e) {
            throw problem(e);
        }
    }

    /** The problem type is the reason's name in kebab case ({@code bad-signature}, {@code foreign-account}, ...). */
    private static ApiProblem problem(ProcessorWebhooks.Refused refused) {
        HttpStatus status = switch (refused.reason()) {
            case NO_ENDPOINT -> null;
            case MISSING_SIGNATURE, UNTRUSTED_CERT_URL, MALFORMED_EVENT -> HttpStatus.BAD_REQUEST;
            case BAD_SIGNATURE -> HttpStatus.UNAUTHORIZED;
            case FOREIGN_ACCOUNT -> HttpStatus.FORBIDDEN;
            case VERIFICATION_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return status == null ? ApiProblem.notFound("Webhook endpoint")
                : new ApiProblem(status, refused.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), refused.getMessage());
    }
}
