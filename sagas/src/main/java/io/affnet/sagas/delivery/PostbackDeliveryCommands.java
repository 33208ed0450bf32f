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
import io.affnet.api.outbound.RedeliverPostbacksCommand;
import io.affnet.api.outbound.TestFirePostbackCommand;
import io.affnet.web.secrets.SealedSecrets;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox's operator commands: test-firing an affiliate's postback and putting dead-lettered deliveries
 * back in line. The HTTP edge is {@code PostbackDeliveryController} on the command side; refusals travel
 * as {@link CommandRejection}s.
 */
public class PostbackDeliveryCommands {

    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };

    private final DeliveryStore store;
    private final PostbackSender sender;
    private final DeliverySignal signal;
    private final ObjectMapper json;
    private final byte[] sealingKey;

    public PostbackDeliveryCommands(DeliveryStore store, PostbackSender sender, DeliverySignal signal,
                                    ObjectMapper json, OutboundProperties properties) {
        this.store = store;
        this.sender = sender;
        this.signal = signal;
        this.json = json;
        this.sealingKey = SealedSecrets.key(properties.secretKey());
    }

    /** Fills the affiliate's matching template with sample values, sends it signed, and tells what was sent and answered. */
    @CommandHandler
    public PostbackTestFire handle(TestFirePostbackCommand command) throws IOException {
        String offerId = command.offerId();
        String goal = command.goal();
        DeliveryStore.Endpoint endpoint = endpoint(command.tenantId(), command.affiliateId());
        PostbackTemplate template = DeliveryEnqueuer.select(json.readValue(endpoint.templates(), TEMPLATES), offerId, goal)
                .orElseThrow(() -> rejected(CommandRejection.conflict("no-postback-template",
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
        String body = template.method() == PostbackMethod.POST ? json.writeValueAsString(values) : null;
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
        } else {
            endpoint(command.tenantId(), command.affiliateId());
        }
        int n = store.redeliverDead(command.tenantId(), command.affiliateId(), command.deliveryId());
        signal.wake();
        return n;
    }

    private DeliveryStore.Endpoint endpoint(TenantId tenantId, String affiliateId) {
        DeliveryStore.Endpoint endpoint = store.endpoint(tenantId, affiliateId);
        if (endpoint == null) {
            throw rejected(CommandRejection.notFound("Postback endpoint"));
        }
        return endpoint;
    }

    private static CommandExecutionException rejected(CommandRejection rejection) {
        return new CommandExecutionException(rejection.detail(), null, rejection);
    }
}
