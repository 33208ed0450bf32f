package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.sagas.payout.paypal.PayPalClient;
import io.affnet.sagas.payout.processor.ProcessorAccount;
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
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * PayPal's webhooks for a tenant, at {@code POST /webhooks/paypal/{tenantId}}. The signature is checked by
 * PayPal itself: the transmission headers and the event go to {@code POST /v1/notifications/
 * verify-webhook-signature} at the tenant's configured PayPal API base, with the tenant's webhook id; only
 * {@code SUCCESS} passes. The {@code PAYPAL-CERT-URL} is never fetched (it is passed on to PayPal, and
 * refused unless it is an https URL on a PayPal host, or, with local API bases allowed, on the API base's
 * own origin). Then each event id is reported once; the receiver re-fetches the item.
 */
@RestController
@Hidden
public class PayPalWebhookController {

    static final String[] HEADERS = {"PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG",
            "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"};

    private final ProcessorAccountStore accounts;
    private final WebhookEvents events;
    private final PayPalClient client;
    private final ProcessorProperties properties;
    private final ObjectMapper json;

    public PayPalWebhookController(ProcessorAccountStore accounts, WebhookEvents events, PayPalClient client,
                                   ProcessorProperties properties, ObjectMapper json) {
        this.accounts = accounts;
        this.events = events;
        this.client = client;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping("/webhooks/paypal/{tenantId}")
    public Map<String, Object> receive(@PathVariable("tenantId") String tenantId, HttpServletRequest request) {
        String tenant = WebhookRequests.tenant(tenantId);
        byte[] raw = WebhookRequests.body(request, properties.webhookMaxBodyBytes());
        String[] values = new String[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            values[i] = WebhookRequests.shortText(request.getHeader(HEADERS[i]), 1024);
            if (values[i] == null) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "missing-signature", "The " + HEADERS[i] + " header is missing or malformed.");
            }
        }
        ProcessorAccountStore.Credentials credentials = accounts.credentials(tenant, ProcessorName.PAYPAL)
                .orElseThrow(() -> ApiProblem.notFound("Webhook endpoint"));
        if (!trustedCertUrl(values[3], credentials.apiBase())) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "untrusted-cert-url", "PAYPAL-CERT-URL is not a PayPal certificate URL.");
        }
        JsonNode event;
        try {
            event = json.readTree(raw);
        } catch (IOException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-event", "The body is not a PayPal webhook event.");
        }
        String eventId = WebhookRequests.shortText(event.path("id").asText(null), 128);
        String type = WebhookRequests.shortText(event.path("event_type").asText(null), 128);
        if (eventId == null || type == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-event", "A PayPal event has an id and an event_type.");
        }
        ObjectNode verify = json.createObjectNode();
        verify.put("auth_algo", values[4]);
        verify.put("cert_url", values[3]);
        verify.put("transmission_id", values[0]);
        verify.put("transmission_sig", values[2]);
        verify.put("transmission_time", values[1]);
        verify.put("webhook_id", credentials.webhookId());
        verify.set("webhook_event", event);
        ProcessorAccount account = new ProcessorAccount(ProcessorName.PAYPAL, credentials.apiBase(), credentials.key(), credentials.secret());
        PayPalClient.Answer answer;
        try {
            answer = client.verifyWebhookSignature(account, verify);
        } catch (IOException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
        if (!answer.ok()) {
            throw unavailable();
        }
        if (!"SUCCESS".equals(answer.body().path("verification_status").asText())) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-signature", "PayPal did not verify this webhook's signature.");
        }
        JsonNode resource = event.path("resource");
        String reference = WebhookRequests.shortText(resource.path("payout_item_id").asText(null), 64);
        String batch = WebhookRequests.shortText(resource.path("payout_batch_id").asText(
                resource.path("batch_header").path("payout_batch_id").asText(null)), 64);
        boolean first = events.report(tenant, ProcessorName.PAYPAL, eventId, type, reference, batch);
        return Map.of("received", true, "duplicate", !first);
    }

    private boolean trustedCertUrl(String certUrl, String apiBase) {
        URI cert;
        try {
            cert = new URI(certUrl);
        } catch (Exception e) {
            return false;
        }
        String host = cert.getHost() == null ? "" : cert.getHost().toLowerCase(Locale.ROOT);
        if ("https".equalsIgnoreCase(cert.getScheme()) && cert.getRawUserInfo() == null
                && (host.equals("api.paypal.com") || host.equals("api.sandbox.paypal.com") || host.endsWith(".paypal.com"))) {
            return true;
        }
        if (!properties.allowLocalApiBase()) {
            return false;
        }
        URI base = URI.create(apiBase);
        return cert.getRawUserInfo() == null && String.valueOf(base.getScheme()).equalsIgnoreCase(cert.getScheme())
                && String.valueOf(base.getHost()).equalsIgnoreCase(host) && base.getPort() == cert.getPort();
    }

    private static ApiProblem unavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "verification-unavailable",
                "PayPal could not verify the signature now; PayPal will deliver the event again.");
    }
}
