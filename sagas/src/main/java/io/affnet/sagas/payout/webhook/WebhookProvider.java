package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.sagas.payout.processor.ProcessorName;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What one processor adds to the webhook skeleton of {@link WebhookIntake} (signature headers → checks →
 * the event read → checks of the event → reported once): which headers carry its signature, how it is
 * checked, what its events look like and which payout they name.
 */
interface WebhookProvider {

    ProcessorName name();

    /**
     * The signature headers' values, in the provider's order.
     *
     * @throws io.affnet.api.payout.ProcessorWebhooks.Refused {@code MISSING_SIGNATURE} when one is missing or malformed
     */
    List<String> signature(UnaryOperator<String> headers);

    /** The checks that need only the body as sent (Stripe: the signature; PayPal: the certificate URL). */
    void checkDelivery(List<String> signature, ProcessorCredentials credentials, byte[] body);

    /** How the provider's event is read. */
    EventShape shape();

    /** The checks that need the event (Stripe: the Connect account's owner; PayPal: PayPal's verdict on the signature). */
    void checkEvent(String tenantId, List<String> signature, ProcessorCredentials credentials, JsonNode event);

    /** The payout the event is about: the provider's object id and its batch or group id, either possibly null. */
    References references(JsonNode event);

    /**
     * @param typeField  the field holding the event's type
     * @param idPrefix   what every event id starts with ("" for any)
     * @param unreadable the detail when the body is not a JSON object
     * @param incomplete the detail when the id or type is missing or malformed
     */
    record EventShape(String typeField, String idPrefix, String unreadable, String incomplete) {
    }

    record References(String reference, String batchReference) {
    }
}
