package io.affnet.sagas.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Money;
import io.affnet.api.common.Role;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.web.secrets.SealedSecrets;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test-firing an affiliate's postback and putting dead-lettered deliveries back in line. */
@RestController
@RequestMapping("/api/v1/affiliates/{id}")
@Access(Role.TENANT_ADMIN)
public class PostbackDeliveryController {

    private static final TypeReference<List<PostbackTemplate>> TEMPLATES = new TypeReference<>() {
    };

    private final DeliveryStore store;
    private final PostbackSender sender;
    private final DeliverySignal signal;
    private final ObjectMapper json;
    private final byte[] sealingKey;

    public PostbackDeliveryController(DeliveryStore store, PostbackSender sender, DeliverySignal signal,
                                      ObjectMapper json, OutboundProperties properties) {
        this.store = store;
        this.sender = sender;
        this.signal = signal;
        this.json = json;
        this.sealingKey = SealedSecrets.key(properties.secretKey());
    }

    /** What the test-fire sent and what came back (Everflow's "postback debug info"). */
    public record TestFire(Sent sent, Received received, String error) {
    }

    public record Sent(String method, String url, Map<String, String> headers, String body) {
    }

    public record Received(int status, Map<String, String> headers, String body, long latencyMs) {
    }

    @PostMapping("/postback/test")
    @Operation(summary = "Fill the affiliate's matching template with sample values, send it signed, and show request and response",
            security = @SecurityRequirement(name = "bearer"))
    public TestFire testFire(Caller caller, @PathVariable("id") String affiliateId,
                             @RequestParam(name = "offerId", required = false) String offerId,
                             @RequestParam(name = "goal", required = false) String goal) throws Exception {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        DeliveryStore.Endpoint endpoint = endpoint(caller, affiliateId);
        PostbackTemplate template = DeliveryEnqueuer.select(json.readValue(endpoint.templates(), TEMPLATES),
                offerId, goal).orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "no-postback-template",
                "No template of this affiliate matches " + (offerId == null ? "a global conversion" : "offer " + offerId
                        + (goal == null ? "" : " goal " + goal)) + "."));
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
        headers.put(PostbackSignature.DELIVERY_ID_HEADER, "test_" + java.util.UUID.randomUUID().toString().replace("-", ""));
        headers.put(PostbackSignature.ATTEMPT_HEADER, "1");
        headers.put("Affnet-Event", "test");
        // Only the status and a short excerpt of printable characters come back (PostbackSender.excerpt), and
        // no response header: whatever the target answers, test-fire is no window onto it.
        PostbackSender.Result result = sender.send(template.method().name(), url, body, headers);
        Sent sent = new Sent(template.method().name(), url, headers, body);
        Received received = result.status() == 0 ? null
                : new Received(result.status(), Map.of(), result.body(), result.latencyMs());
        return new TestFire(sent, received, result.error());
    }

    public record Redelivered(int redelivered) {
    }

    @PostMapping("/postback-deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a dead-lettered postback again, with a fresh retry budget (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public Redelivered redeliver(Caller caller, @PathVariable("id") String affiliateId,
                                 @PathVariable("deliveryId") String deliveryId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        String state = store.stateOf(caller.tenantId(), affiliateId, deliveryId);
        if (state == null) {
            throw ApiProblem.notFound("Postback delivery");
        }
        if (!"DEAD".equals(state)) {
            throw ApiProblem.conflict("not-dead-lettered", "Only a dead-lettered delivery can be redelivered; this one is " + state + ".");
        }
        int n = store.redeliverDead(caller.tenantId(), affiliateId, deliveryId);
        signal.wake();
        return new Redelivered(n);
    }

    @PostMapping("/postback-deliveries/redeliver-dead")
    @Operation(summary = "Send all of an affiliate's dead-lettered postbacks again (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public Redelivered redeliverAll(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        endpoint(caller, affiliateId);
        int n = store.redeliverDead(caller.tenantId(), affiliateId, null);
        signal.wake();
        return new Redelivered(n);
    }

    private DeliveryStore.Endpoint endpoint(Caller caller, String affiliateId) {
        DeliveryStore.Endpoint endpoint = store.endpoint(caller.tenantId(), affiliateId);
        if (endpoint == null) {
            throw ApiProblem.notFound("Postback endpoint");
        }
        return endpoint;
    }
}
