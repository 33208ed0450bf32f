package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.api.payout.ProcessorWebhooks.Reason;
import io.affnet.api.payout.ProcessorWebhooks.Refused;
import io.affnet.sagas.payout.paypal.PayPalClient;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorName;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * PayPal's part of the webhook skeleton ({@code POST /webhooks/paypal/{tenantId}}). The signature is checked
 * by PayPal itself: the transmission headers and the event go to {@code POST /v1/notifications/
 * verify-webhook-signature} at the tenant's configured PayPal API base, with the tenant's webhook id; only
 * {@code SUCCESS} passes. The {@code PAYPAL-CERT-URL} is never fetched (it is passed on to PayPal, and
 * refused unless it is an https URL on a PayPal host, or, with local API bases allowed, on the API base's
 * own origin).
 */
final class PayPalWebhooks implements WebhookProvider {

    static final List<String> HEADERS = List.of("PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME",
            "PAYPAL-TRANSMISSION-SIG", "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO");
    private static final int CERT_URL = 3;
    private static final EventShape SHAPE = new EventShape("event_type", "", "The body is not a PayPal webhook event.",
            "A PayPal event has an id and an event_type.");

    private final PayPalClient client;
    private final ObjectMapper json;
    private final boolean allowLocalApiBase;

    PayPalWebhooks(PayPalClient client, ObjectMapper json, boolean allowLocalApiBase) {
        this.client = client;
        this.json = json;
        this.allowLocalApiBase = allowLocalApiBase;
    }

    @Override
    public ProcessorName name() {
        return ProcessorName.PAYPAL;
    }

    @Override
    public List<String> signature(UnaryOperator<String> headers) {
        List<String> values = new ArrayList<>(HEADERS.size());
        for (String name : HEADERS) {
            String value = WebhookIntake.shortText(headers.apply(name), 1024);
            if (value == null) {
                throw new Refused(Reason.MISSING_SIGNATURE, "The " + name + " header is missing or malformed.");
            }
            values.add(value);
        }
        return values;
    }

    @Override
    public void checkDelivery(List<String> signature, ProcessorCredentials credentials, byte[] body) {
        if (!trustedCertUrl(signature.get(CERT_URL), credentials.apiBase())) {
            throw new Refused(Reason.UNTRUSTED_CERT_URL, "PAYPAL-CERT-URL is not a PayPal certificate URL.");
        }
    }

    @Override
    public EventShape shape() {
        return SHAPE;
    }

    @Override
    public void checkEvent(String tenantId, List<String> signature, ProcessorCredentials credentials, JsonNode event) {
        ObjectNode verify = json.createObjectNode();
        verify.put("auth_algo", signature.get(4));
        verify.put("cert_url", signature.get(CERT_URL));
        verify.put("transmission_id", signature.get(0));
        verify.put("transmission_sig", signature.get(2));
        verify.put("transmission_time", signature.get(1));
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
            throw new Refused(Reason.BAD_SIGNATURE, "PayPal did not verify this webhook's signature.");
        }
    }

    @Override
    public References references(JsonNode event) {
        JsonNode resource = event.path("resource");
        String batch = resource.path("payout_batch_id").asText(resource.path("batch_header").path("payout_batch_id").asText(null));
        return new References(WebhookIntake.shortText(resource.path("payout_item_id").asText(null), 64),
                WebhookIntake.shortText(batch, 64));
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
        if (!allowLocalApiBase) {
            return false;
        }
        URI base = URI.create(apiBase);
        return cert.getRawUserInfo() == null && String.valueOf(base.getScheme()).equalsIgnoreCase(cert.getScheme())
                && String.valueOf(base.getHost()).equalsIgnoreCase(host) && base.getPort() == cert.getPort();
    }

    private static Refused unavailable() {
        return new Refused(Reason.VERIFICATION_UNAVAILABLE,
                "PayPal could not verify the signature now; PayPal will deliver the event again.");
    }
}
