package io.affnet.fakes.stripe;

import com.networknt.schema.Schema;
import com.stripe.model.Event;
import com.stripe.model.Transfer;
import com.stripe.net.ApiResource;
import com.stripe.net.Webhook;
import io.affnet.fakes.Contracts;
import io.affnet.fakes.FakeHttp;
import io.affnet.fakes.Faults;
import io.affnet.fakes.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakeStripeContractTest {

    static final String KEY = "sk_test_fake_contract";
    static final Schema TRANSFER = Contracts.component(Contracts.STRIPE, "transfer");
    static final Schema ERROR = Contracts.component(Contracts.STRIPE, "error");
    static final Schema BALANCE = Contracts.component(Contracts.STRIPE, "balance");
    static final Schema REVERSAL = Contracts.component(Contracts.STRIPE, "transfer_reversal");
    static final Schema LIST = Contracts.schema(Contracts.STRIPE,
            "/paths/~1v1~1transfers/get/responses/200/content/application~1json/schema");

    FakeStripe stripe = new FakeStripe(KEY, Faults.none()).connectedAccount("acct_1Aff").balance("usd", 100_000);

    @AfterEach
    void close() {
        stripe.close();
    }

    HttpResponse<String> create(String key, String body) {
        return Http.send("POST", stripe.baseUrl() + "/v1/transfers", body, "Authorization", "Bearer " + KEY,
                "Content-Type", "application/x-www-form-urlencoded", "Idempotency-Key", key);
    }

    static final String BODY = "amount=1250&currency=usd&destination=acct_1Aff&transfer_group=grp_1&metadata%5Bpayout%5D=po_1";

    @Test
    void createdTransferMatchesStripesSchemaAndDeserialisesWithStripeJava() {
        HttpResponse<String> r = create("k1", BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        Contracts.assertValid(TRANSFER, r.body());
        Transfer t = ApiResource.GSON.fromJson(r.body(), Transfer.class);
        assertThat(t.getAmount()).isEqualTo(1250);
        assertThat(t.getDestination()).isEqualTo("acct_1Aff");
        assertThat(t.getTransferGroup()).isEqualTo("grp_1");
        assertThat(stripe.balanceOf("usd")).isEqualTo(100_000 - 1250);

        HttpResponse<String> got = Http.send("GET", stripe.baseUrl() + "/v1/transfers/" + t.getId(), null, "Authorization", "Bearer " + KEY);
        Contracts.assertValid(TRANSFER, got.body());
        HttpResponse<String> bal = Http.send("GET", stripe.baseUrl() + "/v1/balance", null, "Authorization", "Bearer " + KEY);
        Contracts.assertValid(BALANCE, bal.body());
    }

    @Test
    void listsTransfersByTransferGroupInStripesListShape() {
        create("k1", BODY);
        create("k2", BODY.replace("grp_1", "grp_2"));
        HttpResponse<String> r = Http.send("GET", stripe.baseUrl() + "/v1/transfers?transfer_group=grp_2&limit=10", null,
                "Authorization", "Bearer " + KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        Contracts.assertValid(LIST, r.body());
        assertThat(r.body()).contains("\"transfer_group\":\"grp_2\"").doesNotContain("grp_1");
    }

    @Test
    void replaysTheFirstAnswerForAReusedKeyWithTheSameParameters() {
        HttpResponse<String> first = create("k1", BODY);
        HttpResponse<String> again = create("k1", BODY);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(stripe.transfers()).hasSize(1);
    }

    @Test
    void reusedKeyWithOtherParametersIsAnIdempotencyError() {
        create("k1", BODY);
        HttpResponse<String> r = create("k1", BODY.replace("1250", "1251"));
        assertThat(r.statusCode()).isEqualTo(400);
        Contracts.assertValid(ERROR, r.body());
        assertThat(r.body()).contains("\"type\":\"idempotency_error\"");
        assertThat(stripe.transfers()).hasSize(1);
    }

    @Test
    void aFiveHundredAfterTheEffectIsSavedAndReplayedWhileTheTransferExistsOnce() {
        stripe.force(Faults.Draw.COMMIT_THEN_500);
        HttpResponse<String> first = create("k1", BODY);
        HttpResponse<String> again = create("k1", BODY);
        assertThat(first.statusCode()).isEqualTo(500);
        Contracts.assertValid(ERROR, first.body());
        assertThat(again.statusCode()).isEqualTo(500);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(stripe.transfersInGroup("grp_1")).hasSize(1);
    }

    @Test
    void anAmbiguousCommitDropsTheConnectionAfterTheTransferWasMade() {
        stripe.force(Faults.Draw.COMMIT_THEN_DROP);
        assertThatThrownBy(() -> create("k1", BODY)).isInstanceOf(UncheckedIOException.class);
        assertThat(stripe.transfersInGroup("grp_1")).hasSize(1);
        assertThat(create("k1", BODY).statusCode()).isEqualTo(200);
        assertThat(stripe.transfers()).hasSize(1);
    }

    @Test
    void rateLimitsWithAndWithoutStripeShouldRetryAndSavesNothing() {
        stripe.force(Faults.Draw.RATE_LIMITED).force(Faults.Draw.RATE_LIMITED_SHOULD_RETRY).force(Faults.Draw.CONFLICT);
        HttpResponse<String> plain = create("k1", BODY);
        HttpResponse<String> retry = create("k1", BODY);
        HttpResponse<String> conflict = create("k1", BODY);
        assertThat(plain.statusCode()).isEqualTo(429);
        assertThat(plain.headers().firstValue("Stripe-Should-Retry")).isEmpty();
        assertThat(retry.statusCode()).isEqualTo(429);
        assertThat(retry.headers().firstValue("Stripe-Should-Retry")).contains("true");
        assertThat(conflict.statusCode()).isEqualTo(409);
        List.of(plain, retry, conflict).forEach(r -> Contracts.assertValid(ERROR, r.body()));
        assertThat(stripe.transfers()).isEmpty();
        assertThat(create("k1", BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void insufficientPlatformBalanceIsBalanceInsufficient() {
        HttpResponse<String> r = create("k1", BODY.replace("1250", "100001"));
        assertThat(r.statusCode()).isEqualTo(400);
        Contracts.assertValid(ERROR, r.body());
        assertThat(r.body()).contains("\"code\":\"balance_insufficient\"");
        assertThat(stripe.transfers()).isEmpty();
    }

    @Test
    void validationAndAuthenticationErrorsFollowStripesErrorShape() {
        HttpResponse<String> missing = create("k1", "currency=usd&destination=acct_1Aff");
        HttpResponse<String> unknownDest = create("k2", BODY.replace("acct_1Aff", "acct_nope"));
        HttpResponse<String> badKey = Http.send("POST", stripe.baseUrl() + "/v1/transfers", BODY, "Authorization", "Bearer sk_test_wrong_key_123456");
        HttpResponse<String> notFound = Http.send("GET", stripe.baseUrl() + "/v1/transfers/tr_nope", null, "Authorization", "Bearer " + KEY);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("parameter_missing");
        assertThat(unknownDest.statusCode()).isEqualTo(400);
        assertThat(unknownDest.body()).contains("\"param\":\"destination\"");
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(badKey.body()).doesNotContain("sk_test_wrong_key_123456");
        assertThat(notFound.statusCode()).isEqualTo(404);
        List.of(missing, unknownDest, badKey, notFound).forEach(r -> Contracts.assertValid(ERROR, r.body()));
    }

    @Test
    void reversalsFollowTheReversalSchemaAndMarkTheTransferReversed() {
        String id = ApiResource.GSON.fromJson(create("k1", BODY).body(), Transfer.class).getId();
        HttpResponse<String> r = Http.send("POST", stripe.baseUrl() + "/v1/transfers/" + id + "/reversals", "",
                "Authorization", "Bearer " + KEY);
        Contracts.assertValid(REVERSAL, r.body());
        HttpResponse<String> t = Http.send("GET", stripe.baseUrl() + "/v1/transfers/" + id, null, "Authorization", "Bearer " + KEY);
        Contracts.assertValid(TRANSFER, t.body());
        assertThat(ApiResource.GSON.fromJson(t.body(), Transfer.class).getReversed()).isTrue();
        assertThat(stripe.balanceOf("usd")).isEqualTo(100_000);
    }

    @Test
    void signsEventsSoStripeJavasWebhookAcceptsThemWithEitherRotatedSecret() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        try (FakeHttp receiver = new FakeHttp().route("POST", "/hook", r -> {
            bodies.add(r.bodyText());
            signatures.add(r.header("Stripe-Signature"));
            return new FakeHttp.Response(200, Map.of(), null);
        }).start()) {
            stripe.webhookEndpoint(receiver.baseUrl() + "/hook", "whsec_old", "whsec_new");
            create("k1", BODY);
            await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == 1);
        }
        assertThat(signatures.get(0)).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        Event old = Webhook.constructEvent(bodies.get(0), signatures.get(0), "whsec_old");
        Event fresh = Webhook.constructEvent(bodies.get(0), signatures.get(0), "whsec_new");
        assertThat(old.getType()).isEqualTo("transfer.created");
        assertThat(fresh.getId()).isEqualTo(old.getId());
        assertThatThrownBy(() -> Webhook.constructEvent(bodies.get(0), signatures.get(0), "whsec_other"))
                .isInstanceOf(com.stripe.exception.SignatureVerificationException.class);
    }

    @Test
    void theSchemasRejectABodyThatBreaksThem() {
        String good = create("k1", BODY).body();
        assertThat(TRANSFER.validate(good.replace("\"amount\":1250", "\"amount\":\"1250\""), com.networknt.schema.InputFormat.JSON)).isNotEmpty();
        assertThat(TRANSFER.validate(good.replace("\"object\":\"transfer\"", "\"object\":\"charge\""), com.networknt.schema.InputFormat.JSON)).isNotEmpty();
        assertThat(ERROR.validate("{\"error\":{\"type\":\"made_up_error\"}}", com.networknt.schema.InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void sameSeedDrawsTheSameFaults() {
        Faults f = Faults.seeded(42, 0.3, 0.3, Duration.ZERO);
        io.affnet.fakes.FaultDice a = new io.affnet.fakes.FaultDice(f);
        io.affnet.fakes.FaultDice b = new io.affnet.fakes.FaultDice(f);
        for (int i = 0; i < 200; i++) {
            assertThat(a.draw(Faults.Draw.RATE_LIMITED)).as("draw %d, %s", i, f).isEqualTo(b.draw(Faults.Draw.RATE_LIMITED));
        }
    }
}
