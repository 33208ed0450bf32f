package io.affnet.sagas.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.api.payout.ProcessorWebhooks.Reason;
import io.affnet.api.payout.ProcessorWebhooks.Refused;
import io.affnet.sagas.payout.processor.ProcessorAccountStore;
import io.affnet.sagas.payout.processor.ProcessorName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Stripe's part of the webhook skeleton ({@code POST /webhooks/stripe/{tenantId}}, the tenant's endpoint URL
 * in its Stripe dashboard): {@code Stripe-Signature} verified with stripe-java's {@link Webhook} against the
 * tenant's signing secret (and the previous one while it is rolled; a header with two {@code v1} values
 * passes when either matches) and a timestamp at most {@code stripe-webhook-tolerance} old; a Connect
 * event's {@code account} must be owned by the tenant ({@link StripeAccountOwnership}).
 */
final class StripeWebhooks implements WebhookProvider {

    private static final EventShape SHAPE = new EventShape("type", "evt_", "The body is not a Stripe event.",
            "A Stripe event has an evt_ id and a type.");

    private final ProcessorAccountStore accounts;
    private final StripeAccountOwnership ownership;
    private final Duration tolerance;

    StripeWebhooks(ProcessorAccountStore accounts, StripeAccountOwnership ownership, Duration tolerance) {
        this.accounts = accounts;
        this.ownership = ownership;
        this.tolerance = tolerance;
    }

    @Override
    public ProcessorName name() {
        return ProcessorName.STRIPE;
    }

    @Override
    public List<String> signature(UnaryOperator<String> headers) {
        String header = headers.apply("Stripe-Signature");
        if (header == null || header.isBlank() || header.length() > 2048) {
            throw new Refused(Reason.MISSING_SIGNATURE, "The Stripe-Signature header is missing.");
        }
        return List.of(header);
    }

    @Override
    public void checkDelivery(List<String> signature, ProcessorCredentials credentials, byte[] body) {
        String payload = new String(body, StandardCharsets.UTF_8);
        for (String secret : accounts.webhookSecrets(credentials)) {
            try {
                Webhook.Signature.verifyHeader(payload, signature.get(0), secret, tolerance.toSeconds());
                return;
            } catch (SignatureVerificationException | RuntimeException e) {
                // a malformed header or another secret's signature: try the next secret (the previous one, during a roll)
            }
        }
        throw new Refused(Reason.BAD_SIGNATURE,
                "The Stripe-Signature does not match this endpoint's signing secret, or its timestamp is too old.");
    }

    @Override
    public EventShape shape() {
        return SHAPE;
    }

    @Override
    public void checkEvent(String tenantId, List<String> signature, ProcessorCredentials credentials, JsonNode event) {
        JsonNode account = event.path("account");
        if (!account.isMissingNode() && !account.isNull()) {
            String acct = WebhookIntake.shortText(account.asText(null), 128);
            if (acct == null || !ownership.belongsTo(tenantId, acct)) {
                throw new Refused(Reason.FOREIGN_ACCOUNT, "The event's connected account is not one of this tenant's.");
            }
        }
    }

    @Override
    public References references(JsonNode event) {
        JsonNode object = event.path("data").path("object");
        String group = "transfer".equals(object.path("object").asText())
                ? WebhookIntake.shortText(object.path("transfer_group").asText(null), 255) : null;
        return new References(WebhookIntake.shortText(object.path("id").asText(null), 255), group);
    }
}
