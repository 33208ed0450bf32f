package io.affnet.platform.payout.processors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Money;
import io.affnet.fakes.FakeHttp;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.platform.support.PlatformIT;
import io.affnet.sagas.payout.paypal.PayPalPayoutProcessor;
import io.affnet.sagas.payout.processor.PayoutInstruction;
import io.affnet.sagas.payout.processor.PayoutKeys;
import io.affnet.sagas.payout.processor.PayoutNotifications;
import io.affnet.sagas.payout.processor.ProcessorAccounts;
import io.affnet.sagas.payout.processor.ProcessorName;
import io.affnet.sagas.payout.processor.SubmitOutcome;
import io.affnet.sagas.payout.stripe.StripePayoutProcessor;
import io.affnet.sagas.payout.webhook.StripeAccountOwnership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The processor webhook endpoints and the tenant's processor credentials, on the whole platform, against
 * the local Stripe and PayPal fakes. A recording {@link PayoutNotifications} stands in for the payout side.
 */
@Import(ProcessorWebhooksIT.Beans.class)
class ProcessorWebhooksIT extends PlatformIT {

    /** What the webhook endpoints reported. */
    record Report(String tenantId, ProcessorName processor, String eventId, String reference, String batchReference) {
    }

    static final List<Report> REPORTS = new CopyOnWriteArrayList<>();
    static final Set<String> OWNED_ACCOUNTS = ConcurrentHashMap.newKeySet();

    @TestConfiguration
    static class Beans {
        @Bean
        @Primary
        PayoutNotifications recordingNotifications() {
            return (tenant, processor, eventId, reference, batch) -> REPORTS.add(new Report(tenant, processor, eventId, reference, batch));
        }

        /** Stands in for the payout methods' table until the payout side owns it. */
        @Bean
        @Primary
        StripeAccountOwnership testOwnership() {
            return (tenant, account) -> OWNED_ACCOUNTS.contains(tenant + "/" + account);
        }
    }

    static final String SK = "sk_test_webhooks_1234567890";
    static final String WHSEC = "whsec_current_0123456789abcdef";
    static final String WHSEC_OLD = "whsec_previous_0123456789abcdef";

    @Autowired
    ProcessorAccounts accounts;
    @Autowired
    StripePayoutProcessor stripeAdapter;
    @Autowired
    PayPalPayoutProcessor paypalAdapter;

    FakeStripe stripe;
    FakePayPal paypal;
    String tenant;
    String admin;
    /** Makes this test's Stripe event ids its own: {@code processor_webhook_event} remembers ids across tenants and runs. */
    String run;

    String evt(String name) {
        return "evt_" + name + "_" + run;
    }

    @BeforeEach
    void tenantWithProcessors() {
        run = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Response t = send("POST", "/api/v1/tenants", OPERATOR_KEY, "{\"slug\":\"" + uniqueSlug("proc") + "\",\"name\":\"Proc\",\"currency\":\"EUR\"}");
        assertThat(t.status()).as(t.body()).isEqualTo(201);
        tenant = t.json().get("tenantId").asText();
        admin = t.json().get("adminKey").asText();
        stripe = new FakeStripe(SK, Faults.seeded(new java.util.Random().nextLong(), 0, 0, Duration.ZERO)).connectedAccount("acct_1Own").balance("eur", 1_000_000);
        paypal = new FakePayPal("pp-client", "pp-secret", Faults.none()).balance("EUR", new BigDecimal("10000.00"));
        Response s = send("PUT", "/api/v1/payout-processors/stripe", admin, "{\"apiBase\":\"" + stripe.baseUrl() + "\",\"key\":\"" + SK
                + "\",\"webhookSecret\":\"" + WHSEC + "\",\"previousWebhookSecret\":\"" + WHSEC_OLD + "\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        Response p = send("PUT", "/api/v1/payout-processors/paypal", admin, "{\"apiBase\":\"" + paypal.baseUrl()
                + "\",\"key\":\"pp-client\",\"secret\":\"pp-secret\",\"webhookId\":\"8PT597110X687430LKGECATA\"}");
        assertThat(p.status()).as(p.body()).isEqualTo(200);
    }

    @AfterEach
    void closeFakes() {
        stripe.close();
        paypal.close();
    }

    List<Report> reportsOf(String t) {
        return REPORTS.stream().filter(r -> r.tenantId().equals(t)).toList();
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String stripeEvent(String id, String account) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\"," + (account == null ? "" : "\"account\":\"" + account + "\",")
                + "\"api_version\":\"2023-08-16\",\"created\":1700000000,\"data\":{\"object\":{\"id\":\"tr_123\",\"object\":\"transfer\","
                + "\"transfer_group\":\"affnet_grp\"}},\"livemode\":false,\"pending_webhooks\":1,\"request\":{\"id\":null,"
                + "\"idempotency_key\":null},\"type\":\"transfer.created\"}";
    }

    HttpResponse<String> stripeHook(String body, String signature) {
        return post("/webhooks/stripe/" + tenant, body, signature == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "Stripe-Signature", signature));
    }

    static String sign(String body, long t, String... secrets) {
        return FakeStripe.signatureHeader(body, t, List.of(secrets));
    }

    @Test
    void aTransferMadeAtStripeIsReportedOnceFromItsSignedWebhook() {
        stripe.webhookEndpoint(base + "/webhooks/stripe/" + tenant, WHSEC);
        PayoutInstruction payout = new PayoutInstruction(tenant, "po_hook", new Money(4200, "EUR"), "acct_1Own", null,
                accounts.of(tenant, ProcessorName.STRIPE).orElseThrow());
        SubmitOutcome out = stripeAdapter.submit(payout);
        assertThat(out).isInstanceOf(SubmitOutcome.Accepted.class);
        String transfer = ((SubmitOutcome.Accepted) out).payout().reference();
        await().atMost(Duration.ofSeconds(30)).until(() -> reportsOf(tenant).size() == 1);
        Report r = reportsOf(tenant).get(0);
        assertThat(r.processor()).isEqualTo(ProcessorName.STRIPE);
        assertThat(r.reference()).isEqualTo(transfer);
        assertThat(r.batchReference()).isEqualTo(PayoutKeys.stripeTransferGroup(tenant, "po_hook"));
        // The fake records a delivery's status once it has read the answer, which may be after the report.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(stripe.webhooks().deliveries()).extracting(d -> d.status()).containsOnly(200));
    }

    @Test
    void aValidSignatureIsAcceptedAndAReplayedEventIdIsReportedOnce() {
        String body = stripeEvent(evt("once"), null);
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> first = stripeHook(body, sign(body, now, WHSEC));
        HttpResponse<String> again = stripeHook(body, sign(body, now + 1, WHSEC));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\":true");
        assertThat(reportsOf(tenant)).hasSize(1);
        assertThat(reportsOf(tenant).get(0).reference()).isEqualTo("tr_123");
    }

    @Test
    void badStripeSignaturesAreProblemsAndRecordNothing() {
        String body = stripeEvent(evt("bad"), null);
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> tampered = stripeHook(body.replace("tr_123", "tr_999"), sign(body, now, WHSEC));
        HttpResponse<String> wrongSecret = stripeHook(body, sign(body, now, "whsec_someone_else"));
        HttpResponse<String> tooOld = stripeHook(body, sign(body, now - 301, WHSEC));
        HttpResponse<String> missing = stripeHook(body, null);
        HttpResponse<String> garbage = stripeHook(body, "t=abc,v1=zz");
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(tooOld.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(garbage.statusCode()).isEqualTo(401);
        for (HttpResponse<String> r : List.of(tampered, wrongSecret, tooOld, missing, garbage)) {
            assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain(WHSEC).doesNotContain("Exception");
        }
        assertThat(reportsOf(tenant)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM processor_webhook_event WHERE tenant_id = ?", Integer.class, tenant)).isZero();
    }

    @Test
    void aRotationHeaderWithTwoV1ValuesAndThePreviousSecretAreAccepted() {
        long now = Instant.now().getEpochSecond();
        String a = stripeEvent(evt("rot_a"), null);
        String b = stripeEvent(evt("rot_b"), null);
        assertThat(stripeHook(a, sign(a, now, "whsec_rolled_new_unknown_here", WHSEC)).statusCode()).isEqualTo(200);
        assertThat(stripeHook(b, sign(b, now, WHSEC_OLD)).statusCode()).isEqualTo(200);
        assertThat(reportsOf(tenant)).extracting(Report::eventId).containsExactlyInAnyOrder(evt("rot_a"), evt("rot_b"));
    }

    @Test
    void aConnectEventOfAnotherTenantsAccountIsRefused() {
        OWNED_ACCOUNTS.add(tenant + "/acct_1Own");
        long now = Instant.now().getEpochSecond();
        String foreign = stripeEvent(evt("foreign"), "acct_1Foreign");
        String own = stripeEvent(evt("own"), "acct_1Own");
        HttpResponse<String> refused = stripeHook(foreign, sign(foreign, now, WHSEC));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("foreign-account");
        assertThat(stripeHook(own, sign(own, now, WHSEC)).statusCode()).isEqualTo(200);
        assertThat(reportsOf(tenant)).extracting(Report::eventId).containsExactly(evt("own"));
    }

    @Test
    void aWebhookForAnotherTenantsEndpointFailsWithThisTenantsSecret() {
        Response other = send("POST", "/api/v1/tenants", OPERATOR_KEY, "{\"slug\":\"" + uniqueSlug("proc2") + "\",\"name\":\"Other\",\"currency\":\"EUR\"}");
        String otherTenant = other.json().get("tenantId").asText();
        send("PUT", "/api/v1/payout-processors/stripe", other.json().get("adminKey").asText(), "{\"apiBase\":\"" + stripe.baseUrl()
                + "\",\"key\":\"" + SK + "\",\"webhookSecret\":\"whsec_other_tenant_secret\"}");
        String body = stripeEvent(evt("cross"), null);
        HttpResponse<String> r = post("/webhooks/stripe/" + otherTenant, body, Map.of("Stripe-Signature", sign(body, Instant.now().getEpochSecond(), WHSEC)));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/stripe/t_nobody", body, Map.of("Stripe-Signature", "t=1,v1=00")).statusCode()).isEqualTo(404);
        assertThat(REPORTS).extracting(Report::eventId).doesNotContain(evt("cross"));
    }

    @Test
    void anOversizedWebhookBodyIs413() {
        String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> r = stripeHook(big, sign(big, Instant.now().getEpochSecond(), WHSEC));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(reportsOf(tenant)).isEmpty();
    }

    /** Captures PayPal's deliveries so a test can replay, tamper with or forward them. */
    List<FakeHttp.Request> capturePayPalWebhooks(int expected) {
        List<FakeHttp.Request> captured = new CopyOnWriteArrayList<>();
        try (FakeHttp receiver = new FakeHttp().route("POST", "/hook", r -> {
            captured.add(r);
            return new FakeHttp.Response(200, Map.of(), null);
        }).start()) {
            paypal.webhookEndpoint(receiver.baseUrl() + "/hook", "8PT597110X687430LKGECATA");
            PayoutInstruction payout = new PayoutInstruction(tenant, "po_pp", new Money(1250, "EUR"), "aff@example.com", "EMAIL",
                    accounts.of(tenant, ProcessorName.PAYPAL).orElseThrow());
            assertThat(paypalAdapter.submit(payout)).isInstanceOf(SubmitOutcome.Accepted.class);
            paypal.settleAll();
            await().atMost(Duration.ofSeconds(30)).until(() -> captured.size() == expected);
        }
        return captured;
    }

    HttpResponse<String> forward(FakeHttp.Request r, String body, String certUrl) {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        for (String name : new String[]{"PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG", "PAYPAL-AUTH-ALGO"}) {
            h.put(name, r.header(name));
        }
        h.put("PAYPAL-CERT-URL", certUrl == null ? r.header("PAYPAL-CERT-URL") : certUrl);
        h.put("Content-Type", "application/json");
        return post("/webhooks/paypal/" + tenant, body, h);
    }

    @Test
    void paypalEventsVerifiedByPayPalAreReportedOnceWithoutFetchingTheCertificate() {
        List<FakeHttp.Request> hooks = capturePayPalWebhooks(2);
        for (FakeHttp.Request hook : hooks) {
            HttpResponse<String> r = forward(hook, hook.bodyText(), null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        HttpResponse<String> replay = forward(hooks.get(0), hooks.get(0).bodyText(), null);
        assertThat(replay.body()).contains("\"duplicate\":true");
        FakePayPal.Item item = paypal.items().get(0);
        assertThat(reportsOf(tenant)).hasSize(2).allSatisfy(r -> {
            assertThat(r.processor()).isEqualTo(ProcessorName.PAYPAL);
            assertThat(r.batchReference()).isEqualTo(item.batchId());
        });
        assertThat(reportsOf(tenant)).extracting(Report::reference).contains(item.itemId());
        assertThat(paypal.certFetches()).isZero();
    }

    @Test
    void aPayPalEventThatFailsVerificationIsRefusedAndRecordsNothing() {
        FakeHttp.Request hook = capturePayPalWebhooks(2).get(0);
        HttpResponse<String> tampered = forward(hook, hook.bodyText().replace("\"1.0\"", "\"9.9\""), null);
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(tampered.body()).contains("bad-signature");
        Map<String, String> noHeaders = Map.of("Content-Type", "application/json");
        assertThat(post("/webhooks/paypal/" + tenant, hook.bodyText(), noHeaders).statusCode()).isEqualTo(400);
        assertThat(reportsOf(tenant)).isEmpty();
    }

    @Test
    void aCertUrlOutsidePayPalIsRefusedAndNeverFetched() {
        FakeHttp.Request hook = capturePayPalWebhooks(2).get(0);
        List<String> hits = new CopyOnWriteArrayList<>();
        try (FakeHttp attacker = new FakeHttp().route("GET", "/.*", r -> {
            hits.add(r.path());
            return new FakeHttp.Response(200, Map.of(), "cert".getBytes());
        }).start()) {
            HttpResponse<String> r = forward(hook, hook.bodyText(), attacker.baseUrl() + "/cert.pem");
            HttpResponse<String> metadata = forward(hook, hook.bodyText(), "http://169.254.169.254/latest/meta-data");
            HttpResponse<String> lookalike = forward(hook, hook.bodyText(), "https://api.paypal.com.evil.example/cert");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(metadata.statusCode()).isEqualTo(400);
            assertThat(lookalike.statusCode()).isEqualTo(400);
        }
        assertThat(hits).isEmpty();
        assertThat(paypal.certFetches()).isZero();
        assertThat(reportsOf(tenant)).isEmpty();
    }

    @Test
    void credentialsAreSealedAtRestAndNeverReturned() {
        Response list = send("GET", "/api/v1/payout-processors", admin, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("\"connected\":true").doesNotContain(SK).doesNotContain(WHSEC).doesNotContain("pp-secret");
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM payout_processor_account WHERE tenant_id = ?", tenant);
        assertThat(rows).hasSize(2);
        assertThat(rows.toString()).doesNotContain(SK).doesNotContain(WHSEC).doesNotContain(WHSEC_OLD).doesNotContain("pp-secret");
        assertThat(accounts.of(tenant, ProcessorName.STRIPE).orElseThrow().key()).isEqualTo(SK);
        assertThat(accounts.of(tenant, ProcessorName.PAYPAL).orElseThrow().secret()).isEqualTo("pp-secret");
    }

    @Test
    void badCredentialsAreProblemsAndChangeNothing() {
        Response badKey = send("PUT", "/api/v1/payout-processors/stripe", admin, "{\"apiBase\":\"https://api.stripe.com\",\"key\":\"pk_live_x\",\"webhookSecret\":\"whsec_x\"}");
        Response noBase = send("PUT", "/api/v1/payout-processors/stripe", admin, "{\"apiBase\":\"ftp://x\",\"key\":\"sk_x\",\"webhookSecret\":\"whsec_x\"}");
        Response noHook = send("PUT", "/api/v1/payout-processors/paypal", admin, "{\"apiBase\":\"https://api-m.paypal.com\",\"key\":\"c\",\"secret\":\"s\"}");
        Response unknown = send("PUT", "/api/v1/payout-processors/venmo", admin, "{\"apiBase\":\"https://venmo.example\",\"key\":\"k\"}");
        assertThat(List.of(badKey.status(), noBase.status(), noHook.status(), unknown.status())).containsExactly(400, 400, 400, 404);
        assertThat(badKey.contentType()).startsWith("application/problem+json");
        assertThat(accounts.of(tenant, ProcessorName.STRIPE).orElseThrow().apiBase()).isEqualTo(stripe.baseUrl());
    }

    static final ObjectMapper MAPPER = new ObjectMapper();
}
