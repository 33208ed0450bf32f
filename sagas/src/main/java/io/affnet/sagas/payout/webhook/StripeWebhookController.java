package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.affnet.sagas.payout.processor.ProcessorAccountStore;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.ProcessorProperties;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Stripe's webhooks for a tenant, at {@code POST /webhooks/stripe/{tenantId}} (the tenant's endpoint URL
 * in its Stripe dashboard). Unauthenticated, so everything is checked before anything is recorded: a
 * bounded body, {@code Stripe-Signature} verified with stripe-java's {@link Webhook} against the tenant's
 * signing secret (and the previous one while it is rolled; a header with two {@code v1} values passes when
 * either matches) and a timestamp at most {@code stripe-webhook-tolerance} old, and a Connect event's
 * {@code account} owned by the tenant. Then each event id is reported once; the receiver re-fetches the
 * transfer from Stripe rather than trusting this body.
 */
@RestController
@Hidden
public class StripeWebhookController {

    private final ProcessorAccountStore accounts;
    private final WebhookEvents events;
    private final StripeAccountOwnership ownership;
    private final ProcessorProperties properties;
    private final ObjectMapper json;

    public StripeWebhookController(ProcessorAccountStore accounts, WebhookEvents events, StripeAccountOwnership ownership,
                                   ProcessorProperties properties, ObjectMapper json) {
        this.accounts = accounts;
        this.events = events;
        this.ownership = ownership;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping("/webhooks/stripe/{tenantId}")
    public Map<String, Object> receive(@PathVariable("tenantId") String tenantId, HttpServletRequest request) {
        String tenant = WebhookRequests.tenant(tenantId);
        byte[] raw = WebhookRequests.body(request, properties.webhookMaxBodyBytes());
        String header = request.getHeader("Stripe-Signature");
        if (header == null || header.isBlank() || header.length() > 2048) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "missing-signature", "The Stripe-Signature header is missing.");
        }
        ProcessorAccountStore.Credentials credentials = accounts.credentials(tenant, ProcessorName.STRIPE)
                .orElseThrow(() -> ApiProblem.notFound("Webhook endpoint"));
        String payload = new String(raw, StandardCharsets.UTF_8);
        if (!verified(payload, header, accounts.webhookSecrets(credentials))) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-signature",
                    "The Stripe-Signature does not match this endpoint's signing secret, or its timestamp is too old.");
        }
        JsonNode event;
        try {
            event = json.readTree(raw);
        } catch (IOException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-event", "The body is not a Stripe event.");
        }
        String eventId = WebhookRequests.shortText(event.path("id").asText(null), 128);
        String type = WebhookRequests.shortText(event.path("type").asText(null), 128);
        if (eventId == null || type == null || !eventId.startsWith("evt_")) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-event", "A Stripe event has an evt_ id and a type.");
        }
        JsonNode account = event.path("account");
        if (!account.isMissingNode() && !account.isNull()) {
            String acct = WebhookRequests.shortText(account.asText(null), 128);
            if (acct == null || !ownership.belongsTo(tenant, acct)) {
                throw new ApiProblem(HttpStatus.FORBIDDEN, "foreign-account",
                        "The event's connected account is not one of this tenant's.");
            }
        }
        JsonNode object = event.path("data").path("object");
        String reference = WebhookRequests.shortText(object.path("id").asText(null), 255);
        String group = "transfer".equals(object.path("object").asText()) ? WebhookRequests.shortText(object.path("transfer_group").asText(null), 255) : null;
        boolean first = events.report(tenant, ProcessorName.STRIPE, eventId, type, reference, group);
        return Map.of("received", true, "duplicate", !first);
    }

    private boolean verified(String payload, String header, List<String> secrets) {
        long tolerance = properties.stripeWebhookTolerance().toSeconds();
        for (String secret : secrets) {
            try {
                Webhook.Signature.verifyHeader(payload, header, secret, tolerance);
                return true;
            } catch (SignatureVerificationException | RuntimeException e) {
                // a malformed header or another secret's signature: try the next secret (the previous one, during a roll)
            }
        }
        return false;
    }
}
