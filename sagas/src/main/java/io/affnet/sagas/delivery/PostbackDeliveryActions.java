package io.affnet.sagas.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.CommandRejection;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.outbound.PostbackTestFire;
import io.affnet.api.outbound.PostbackTestFires;
import io.affnet.api.outbound.RedeliverPostbacksCommand;
import io.affnet.sagas.secrets.SealedSecrets;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator may do with the outbox: test-fire an affiliate's postback ({@link PostbackTestFires}, a
 * call) and put dead-lettered deliveries back in line ({@link RedeliverPostbacksCommand}). The HTTP edge is
 * {@code PostbackDeliveryController} on the command side; refusals carry a {@link CommandRejection}.
 */
public class PostbackDeliveryActions implements PostbackTestFires {

    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };
    private static final CommandRejection NO_ENDPOINT = CommandRejection.notFound("Postback endpoint");

    private final DeliveryStore store;
    private final PostbackSender sender;
    private final DeliverySignal signal;
    private final ObjectMapper json;
    private final byte[] sealingKey;

    public PostbackDeliveryActions(DeliveryStore store, PostbackSender sender, DeliverySignal signal,
                                   ObjectMapper json, OutboundProperties properties) {
        this.store = store;
        this.sender = sender;
        this.signal = signal;
        this.json = json;
        this.sealingKey = SealedSecrets.key(properties.secretKey());
    }

    /** Fills the affiliate's matching template with sample values, sends it signed, and tells what was sent and answered. */
    @Override
    public PostbackTestFire fire(TenantId tenantId, String affiliateId, String offerId, String goal) {
        DeliveryStore.Endpoint endpoint = store.endpoint(tenantId, affiliateId);
        if (endpoint == null) {
            throw new Refused(NO_ENDPOINT);
        }
        PostbackTemplate template = DeliveryEnqueuer.select(templates(endpoint), offerId, goal)
                .orElseThrow(() -> new Refused(CommandRejection.conflict("no-postback-template",
                        "No template of this affiliate matches " + (offerId == null ? "a global conversion" : "offer " + offerId
                                + (goal == null ? "" : " goal " + goal)) + ".")));
        Map<String, String> subs = new LinkedHashMap<>();
        for (int i = 1; i <= 10; i++) {
            subs.put("sub" + i, "test_sub" + i);
        }
        subs.put("source", "test_source");
        Map<String, String> values = DeliveryEnqueuer.values(subs, "test_click_id", new Money(123, "EUR"),
                ConversionStatus.APPROVED, "test_transaction", "test_conversion", offerId == null ? "test_offer" : offerId,
                goal == null ? "test_goal" : goal, Instant.now());
        String url = PostbackUrls.fill(template.url(), values);
        String body = template.method() == PostbackMethod.POST ? write(values) : null;
        String secret = SealedSecrets.open(endpoint.sealedSecret(), sealingKey);
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PostbackSignature.SIGNATURE_HEADER, PostbackSignature.header(secret, now, template.method().name(), url, body));
        headers.put(PostbackSignature.TIMESTAMP_HEADER, Long.toString(now));
        headers.put(PostbackSignature.DELIVERY_ID_HEADER, "test_" + UUID.randomUUID().toString().replace("-", ""));
        headers.put(PostbackSignature.ATTEMPT_HEADER, "1");
        headers.put("Affnet-Event", "test");
        // Only the status and a short excerpt of printable characters come back (PostbackSender.excerpt), and
        // no response header: whatever the target answers, test-fire is no window onto it.
        PostbackSender.Result result = sender.send(template.method().name(), url, body, headers);
        PostbackTestFire.Sent sent = new PostbackTestFire.Sent(template.method().name(), url, headers, body);
        PostbackTestFire.Received received = result.status() == 0 ? null
                : new PostbackTestFire.Received(result.status(), Map.of(), result.body(), result.latencyMs());
        return new PostbackTestFire(sent, received, result.error());
    }

    /** Puts one dead-lettered delivery, or all of the affiliate's, back in line; answers how many. */
    @CommandHandler
    public int handle(RedeliverPostbacksCommand command) {
        if (command.deliveryId() != null) {
            String state = store.stateOf(command.tenantId(), command.affiliateId(), command.deliveryId());
            if (state == null) {
                throw rejected(CommandRejection.notFound("Postback delivery"));
            }
            if (!"DEAD".equals(state)) {
                throw rejected(CommandRejection.conflict("not-dead-lettered",
                        "Only a dead-lettered delivery can be redelivered; this one is " + state + "."));
            }
        } else if (store.endpoint(command.tenantId(), command.affiliateId()) == null) {
            throw rejected(NO_ENDPOINT);
        }
        int n = store.redeliverDead(command.tenantId(), command.affiliateId(), command.deliveryId());
        signal.wake();
        return n;
    }

    private List<PostbackTemplate> templates(DeliveryStore.Endpoint endpoint) {
        try {
            return json.readValue(endpoint.templates(), TEMPLATES);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable postback templates", e);
        }
    }

    private String write(Map<String, String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CommandExecutionException rejected(CommandRejection rejection) {
        return new CommandExecutionException(rejection.detail(), null, rejection);
    }
}
