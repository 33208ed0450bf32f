package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.api.payout.ProcessorWebhooks;
import io.affnet.sagas.payout.processor.ProcessorAccountStore;
import io.affnet.sagas.payout.processor.ProcessorName;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Processors' webhooks for a tenant, one skeleton for every provider ({@link ProcessorWebhooks}; the HTTP
 * edge is {@code ProcessorWebhookController} on the command side). Unauthenticated, so everything is
 * checked before anything is recorded: the signature headers are there, the tenant has credentials at the
 * processor, the provider's checks of the delivery pass, the body is one of its events, the provider's
 * checks of the event pass. Then each event id is reported once ({@link WebhookEvents}); the receiver
 * re-fetches the payout from the processor rather than trusting this body. The providers' parts are
 * {@link StripeWebhooks} and {@link PayPalWebhooks}.
 */
public class WebhookIntake implements ProcessorWebhooks {

    private final Map<ProcessorName, WebhookProvider> providers = new EnumMap<>(ProcessorName.class);
    private final ProcessorAccountStore accounts;
    private final WebhookEvents events;
    private final ObjectMapper json;
    private final int maxBodyBytes;

    WebhookIntake(List<WebhookProvider> providers, ProcessorAccountStore accounts, WebhookEvents events, ObjectMapper json,
                  int maxBodyBytes) {
        providers.forEach(p -> this.providers.put(p.name(), p));
        this.accounts = accounts;
        this.events = events;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public Receipt receive(String processor, String tenantId, UnaryOperator<String> headers, byte[] body) {
        WebhookProvider provider = providers.get(ProcessorName.valueOf(processor));
        List<String> signature = provider.signature(headers);
        ProcessorCredentials credentials = accounts.credentials(tenantId, provider.name())
                .orElseThrow(() -> new Refused(Reason.NO_ENDPOINT, "Webhook endpoint not found"));
        provider.checkDelivery(signature, credentials, body);
        WebhookProvider.EventShape shape = provider.shape();
        JsonNode event = read(body);
        if (event == null || !event.isObject()) {
            throw new Refused(Reason.MALFORMED_EVENT, shape.unreadable());
        }
        String eventId = shortText(event.path("id").asText(null), 128);
        String type = shortText(event.path(shape.typeField()).asText(null), 128);
        if (eventId == null || type == null || !eventId.startsWith(shape.idPrefix())) {
            throw new Refused(Reason.MALFORMED_EVENT, shape.incomplete());
        }
        provider.checkEvent(tenantId, signature, credentials, event);
        WebhookProvider.References about = provider.references(event);
        boolean first = events.report(tenantId, provider.name(), eventId, type, about.reference(), about.batchReference());
        return new Receipt(!first);
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** A short printable text (an id, a header) or null when it is anything else. */
    static String shortText(String value, int max) {
        return value != null && !value.isEmpty() && value.length() <= max && value.matches("[\\x21-\\x7e]+") ? value : null;
    }
}
