package io.affnet.fakes.paypal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import io.affnet.fakes.Contracts;
import io.affnet.fakes.FakeHttp;
import io.affnet.fakes.Faults;
import io.affnet.fakes.Http;
import io.affnet.fakes.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakePayPalContractTest {

    static final Schema PAYOUT = Contracts.component(Contracts.PAYPAL, "payout");
    static final Schema BATCH = Contracts.component(Contracts.PAYPAL, "payout_batch");
    static final Schema ITEM = Contracts.component(Contracts.PAYPAL, "payout_item-2");
    static final Schema ERROR = Contracts.component(Contracts.PAYPAL, "error");
    static final Schema REQUEST = Contracts.component(Contracts.PAYPAL, "create_payout_request");
    static final Schema EVENT = Contracts.component(Contracts.PAYPAL_WEBHOOKS, "event");
    static final Schema VERIFY_REQUEST = Contracts.component(Contracts.PAYPAL_WEBHOOKS, "verify_webhook_signature");
    static final Schema VERIFY = Contracts.component(Contracts.PAYPAL_WEBHOOKS, "verify_webhook_signature_response");

    FakePayPal paypal = new FakePayPal("client-1", "secret-1", Faults.none()).balance("USD", new BigDecimal("1000.00"))
            .balance("HUF", new BigDecimal("100000")).balance("JPY", new BigDecimal("100000"));

    @AfterEach
    void close() {
        paypal.close();
    }

    String token() {
        HttpResponse<String> r = Http.send("POST", paypal.baseUrl() + "/v1/oauth2/token", "grant_type=client_credentials",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString("client-1:secret-1".getBytes(StandardCharsets.UTF_8)),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.tree(r.body().getBytes(StandardCharsets.UTF_8)).path("access_token").asText();
    }

    static String batch(String senderBatchId, String currency, String value) {
        return "{\"sender_batch_header\":{\"sender_batch_id\":\"" + senderBatchId + "\",\"recipient_type\":\"EMAIL\","
                + "\"email_subject\":\"You have a payout\"},\"items\":[{\"recipient_type\":\"EMAIL\",\"amount\":{\"value\":\""
                + value + "\",\"currency\":\"" + currency + "\"},\"receiver\":\"aff@example.com\",\"sender_item_id\":\"item_" + senderBatchId + "\"}]}";
    }

    HttpResponse<String> create(String token, String body) {
        return Http.send("POST", paypal.baseUrl() + "/v1/payments/payouts", body, "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
    }

    @Test
    void oauthTokenCarriesExpiresInAndExpires() {
        MutableClock clock = new MutableClock();
        paypal.clock(clock).tokenTtl(Duration.ofSeconds(100));
        HttpResponse<String> r = Http.send("POST", paypal.baseUrl() + "/v1/oauth2/token", "grant_type=client_credentials",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString("client-1:secret-1".getBytes(StandardCharsets.UTF_8)));
        JsonNode body = Json.tree(r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(body.path("expires_in").asLong()).isEqualTo(100);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        String token = body.path("access_token").asText();
        assertThat(create(token, batch("b1", "USD", "1.00")).statusCode()).isEqualTo(201);
        clock.now = clock.now.plusSeconds(101);
        assertThat(create(token, batch("b2", "USD", "1.00")).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = Http.send("POST", paypal.baseUrl() + "/v1/oauth2/token", "grant_type=client_credentials",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString("client-1:nope".getBytes(StandardCharsets.UTF_8)));
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void createGetBatchAndGetItemMatchPayPalsSchemas() {
        String token = token();
        String request = batch("b1", "USD", "12.50");
        Contracts.assertValid(REQUEST, request);
        HttpResponse<String> created = create(token, request);
        assertThat(created.statusCode()).isEqualTo(201);
        Contracts.assertValid(PAYOUT, created.body());
        JsonNode header = Json.tree(created.body().getBytes(StandardCharsets.UTF_8)).path("batch_header");
        assertThat(header.path("batch_status").asText()).isEqualTo("PENDING");
        String batchId = header.path("payout_batch_id").asText();

        HttpResponse<String> got = Http.send("GET", paypal.baseUrl() + "/v1/payments/payouts/" + batchId, null, "Authorization", "Bearer " + token);
        Contracts.assertValid(BATCH, got.body());
        JsonNode item = Json.tree(got.body().getBytes(StandardCharsets.UTF_8)).path("items").get(0);
        assertThat(item.path("transaction_status").asText()).isEqualTo("SUCCESS");
        assertThat(item.path("payout_item").path("amount").path("value").asText()).isEqualTo("12.50");
        HttpResponse<String> one = Http.send("GET", paypal.baseUrl() + "/v1/payments/payouts-item/" + item.path("payout_item_id").asText(),
                null, "Authorization", "Bearer " + token);
        Contracts.assertValid(ITEM, one.body());
        assertThat(paypal.balanceOf("USD")).isEqualByComparingTo("987.50");
    }

    @Test
    void aReusedSenderBatchIdIsTheDuplicateBatch400LinkingTheOriginal() {
        String token = token();
        String batchId = Json.tree(create(token, batch("b1", "USD", "1.00")).body().getBytes(StandardCharsets.UTF_8))
                .path("batch_header").path("payout_batch_id").asText();
        HttpResponse<String> dup = create(token, batch("b1", "USD", "1.00"));
        assertThat(dup.statusCode()).isEqualTo(400);
        Contracts.assertValid(ERROR, dup.body());
        JsonNode e = Json.tree(dup.body().getBytes(StandardCharsets.UTF_8));
        assertThat(e.path("name").asText()).isEqualTo("USER_BUSINESS_ERROR");
        assertThat(e.path("details").get(0).path("issue").asText()).isEqualTo("Batch with given sender_batch_id already exists");
        assertThat(e.path("details").get(0).path("link").get(0).path("href").asText()).endsWith("/v1/payments/payouts/" + batchId);
        assertThat(paypal.items()).hasSize(1);
    }

    @Test
    void hufJpyAndTwdRefuseDecimals() {
        String token = token();
        HttpResponse<String> huf = create(token, batch("b1", "HUF", "100.50"));
        HttpResponse<String> jpy = create(token, batch("b2", "JPY", "1.0"));
        assertThat(huf.statusCode()).isEqualTo(400);
        assertThat(huf.body()).contains("DECIMALS_NOT_SUPPORTED");
        assertThat(jpy.statusCode()).isEqualTo(400);
        Contracts.assertValid(ERROR, huf.body());
        assertThat(create(token, batch("b3", "HUF", "100")).statusCode()).isEqualTo(201);
    }

    @Test
    void insufficientFundsIs422WithNothingCreated() {
        HttpResponse<String> r = create(token(), batch("b1", "USD", "1000.01"));
        assertThat(r.statusCode()).isEqualTo(422);
        Contracts.assertValid(ERROR, r.body());
        assertThat(r.body()).contains("INSUFFICIENT_FUNDS");
        assertThat(paypal.items()).isEmpty();
    }

    @Test
    void anAmbiguousCommitLeavesTheBatchSoARetryGetsTheDuplicateAnswer() {
        String token = token();
        paypal.force(Faults.Draw.COMMIT_THEN_DROP);
        assertThatThrownBy(() -> create(token, batch("b1", "USD", "1.00"))).isInstanceOf(UncheckedIOException.class);
        assertThat(create(token, batch("b1", "USD", "1.00")).statusCode()).isEqualTo(400);
        paypal.force(Faults.Draw.COMMIT_THEN_500);
        HttpResponse<String> fiveHundred = create(token, batch("b2", "USD", "1.00"));
        assertThat(fiveHundred.statusCode()).isEqualTo(500);
        Contracts.assertValid(ERROR, fiveHundred.body());
        assertThat(paypal.items()).hasSize(2);
    }

    @Test
    void signedWebhooksVerifyThroughTheVerifyEndpointAndTamperedOnesFail() {
        List<FakeHttp.Request> received = new CopyOnWriteArrayList<>();
        try (FakeHttp receiver = new FakeHttp().route("POST", "/hook", r -> {
            received.add(r);
            return new FakeHttp.Response(200, Map.of(), null);
        }).start()) {
            paypal.webhookEndpoint(receiver.baseUrl() + "/hook", "8PT597110X687430LKGECATA");
            String token = token();
            create(token, batch("b1", "USD", "1.00"));
            paypal.settleAll();
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);
        }
        FakeHttp.Request item = received.stream().filter(r -> r.bodyText().contains("PAYMENT.PAYOUTS-ITEM.SUCCEEDED")).findFirst().orElseThrow();
        Contracts.assertValid(EVENT, item.bodyText());
        ObjectNode verify = Json.MAPPER.createObjectNode();
        verify.put("auth_algo", item.header("PAYPAL-AUTH-ALGO"));
        verify.put("cert_url", item.header("PAYPAL-CERT-URL"));
        verify.put("transmission_id", item.header("PAYPAL-TRANSMISSION-ID"));
        verify.put("transmission_sig", item.header("PAYPAL-TRANSMISSION-SIG"));
        verify.put("transmission_time", item.header("PAYPAL-TRANSMISSION-TIME"));
        verify.put("webhook_id", "8PT597110X687430LKGECATA");
        verify.set("webhook_event", Json.tree(item.body()));
        Contracts.assertValid(VERIFY_REQUEST, verify.toString());
        String token = token();
        HttpResponse<String> ok = Http.send("POST", paypal.baseUrl() + "/v1/notifications/verify-webhook-signature", verify.toString(),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        Contracts.assertValid(VERIFY, ok.body());
        assertThat(ok.body()).contains("SUCCESS");
        ((ObjectNode) verify.get("webhook_event")).put("event_type", "PAYMENT.PAYOUTS-ITEM.FAILED");
        HttpResponse<String> tampered = Http.send("POST", paypal.baseUrl() + "/v1/notifications/verify-webhook-signature", verify.toString(),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertThat(tampered.body()).contains("FAILURE");
        assertThat(paypal.certFetches()).isZero();
    }

    @Test
    void theSchemasRejectABodyThatBreaksThem() {
        assertThat(BATCH.validate("{\"batch_header\":{\"payout_batch_id\":\"X\",\"batch_status\":\"PAID\",\"sender_batch_header\":{}}}",
                InputFormat.JSON)).isNotEmpty();
        assertThat(ITEM.validate("{\"payout_item_id\":\"I1\",\"payout_batch_id\":\"B1\"}", InputFormat.JSON)).isNotEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
