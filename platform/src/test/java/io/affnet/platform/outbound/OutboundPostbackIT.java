package io.affnet.platform.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.ProcessorTokens;
import io.affnet.platform.support.PostbackReceiver;
import io.affnet.platform.support.Traffic;
import io.affnet.sagas.delivery.DeliveryEnqueuer;
import io.affnet.sagas.delivery.DeliveryFaults;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbound postbacks against a real local receiver: filling, signing, retries, pause, crash safety, replay, SSRF. */
class OutboundPostbackIT extends PlatformIT {

    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Autowired
    DeliveryFaults faults;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    TransactionManager axonTransactions;
    @Autowired
    EventStore eventStore;

    private PostbackReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new PostbackReceiver();
    }

    @AfterEach
    void stopReceiver() {
        faults.crashAfterSend(null);
        receiver.close();
    }

    /**
     * A tenant with an offer, an affiliate and a link. The receiver is on 127.0.0.1 at an ephemeral port, which
     * the operator's exception of the {@code it} profile ({@code affnet.outbound.private-targets}) allows.
     */
    private final class Setup {
        final Traffic t;
        final String offer;
        final String affiliate;
        final String code;
        String secret;

        Setup(String stem) {
            t = Traffic.tenant(OutboundPostbackIT.this, stem, false);
            offer = t.offer("null", 86400);
            affiliate = t.affiliate("aff@example.com", "[]");
            code = t.link(affiliate, offer);
        }

        Setup templates(String json) {
            Response r = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key, "{\"templates\":" + json + "}");
            assertThat(r.status()).as(r.body()).isIn(200, 201);
            if (r.status() == 201) {
                secret = r.json().get("secret").asText();
            }
            return this;
        }

        Setup global(String path) {
            return templates("[{\"url\":\"" + receiver.base() + path + "\"}]");
        }

        String click(String query) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/c/" + code + (query.isEmpty() ? "" : "?" + query)))
                    .header("User-Agent", Traffic.DESKTOP).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(302);
            String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
            return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        }

        /** Clicks, converts (goal lead) and answers the conversion id. */
        String convert(String txn) throws Exception {
            String click = click("");
            assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=" + txn).body()).isEqualTo("accepted");
            return t.lastEvent(click, RECORDED).get("conversionId").asText();
        }

        JsonNode log(String conversionId) {
            Response r = send("GET", "/api/v1/conversions/" + conversionId + "/postback-deliveries", t.key, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().get("items");
        }

        String state(String conversionId) {
            List<String> states = jdbc.queryForList("SELECT state FROM outbound_delivery WHERE tenant_id = ? AND conversion_id = ?",
                    String.class, t.tenantId, conversionId);
            return states.isEmpty() ? null : states.get(0);
        }
    }

    @Test
    void macrosAreFilledAndEncodedAndTheSignatureVerifiesWithTheDocumentedRecipe() throws Exception {
        Setup s = new Setup("ob-macros").templates("[{\"url\":\"" + receiver.base() + "/pb?cid={click_id}&s1={sub1}&s10={sub10}"
                + "&src={source}&p={payout}&cur={currency}&st={status}&tx={transaction_id}&conv={conversion_id}&o={offer_id}"
                + "&g={goal}&ts={timestamp}&s2={sub2}&token=affiliate-own-key\"}]");
        String click = s.click("sub1=" + Traffic.enc("a b&c=d/ü") + "&sub10=ten&source=" + Traffic.enc("fb+ig"));
        assertThat(s.t.postback("click_id=" + click + "&goal=lead&txn_id=" + Traffic.enc("T 1/ä")).body()).isEqualTo("accepted");
        String conversion = s.t.lastEvent(click, RECORDED).get("conversionId").asText();

        await().atMost(WAIT).until(() -> receiver.effective.size() == 1);
        PostbackReceiver.Received got = receiver.effective.get(0);
        assertThat(got.method()).isEqualTo("GET");
        Map<String, String> q = query(got.url());
        assertThat(q).containsEntry("cid", click).containsEntry("s1", "a b&c=d/ü").containsEntry("s10", "ten")
                .containsEntry("src", "fb+ig").containsEntry("p", "2.00").containsEntry("cur", "EUR")
                .containsEntry("st", "approved").containsEntry("tx", "T 1/ä").containsEntry("conv", conversion)
                .containsEntry("o", s.offer).containsEntry("g", "lead").containsEntry("s2", "");
        assertThat(Long.parseLong(q.get("ts"))).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(got.url()).contains("s1=a%20b%26c%3Dd%2F%C3%BC");

        assertThat(AffnetSignatureVerifier.verify(s.secret, got.header("Affnet-Signature"), got.method(), got.url(), got.body(), 300))
                .isTrue();
        assertThat(got.header("Affnet-Signature")).startsWith("t=" + got.header("Affnet-Timestamp") + ",v1=");
        assertThat(AffnetSignatureVerifier.verify("whsec_wrong", got.header("Affnet-Signature"), got.method(), got.url(), got.body(), 300))
                .isFalse();
        assertThat(AffnetSignatureVerifier.verify(s.secret, got.header("Affnet-Signature"), got.method(), got.url() + "&x=1",
                got.body(), 300)).as("a changed URL does not verify").isFalse();

        await().atMost(WAIT).untilAsserted(() -> assertThat(s.log(conversion).get(0).get("outcome").asText()).isEqualTo("DELIVERED"));
        JsonNode entry = s.log(conversion).get(0);
        assertThat(entry.get("url").asText()).contains("token=***").doesNotContain("affiliate-own-key");
        assertThat(entry.get("statusCode").asInt()).isEqualTo(200);
        assertThat(entry.get("attempt").asInt()).isEqualTo(1);
        assertThat(entry.get("latencyMs").isNumber()).isTrue();
        Response byAffiliate = send("GET", "/api/v1/affiliates/" + s.affiliate + "/postback-deliveries", s.t.key, null);
        assertThat(byAffiliate.json().get("items")).hasSize(1);
        assertThat(byAffiliate.json().at("/items/0/deliveryId").asText()).isEqualTo(got.header("Affnet-Delivery-Id"));
    }

    @Test
    void theMostSpecificTemplateWinsAndPostSendsASignedJsonBody() throws Exception {
        Setup s = new Setup("ob-scope");
        s.templates("[{\"url\":\"" + receiver.base() + "/global?c={click_id}\"},"
                + "{\"offerId\":\"" + s.offer + "\",\"method\":\"POST\",\"url\":\"" + receiver.base() + "/offer?c={click_id}\"},"
                + "{\"offerId\":\"" + s.offer + "\",\"goal\":\"sale\",\"url\":\"" + receiver.base() + "/sale?p={payout}\"}]");
        String lead = s.click("sub3=x");
        s.t.postback("click_id=" + lead + "&goal=lead&txn_id=L1");
        await().atMost(WAIT).until(() -> receiver.effective.size() == 1);
        PostbackReceiver.Received post = receiver.effective.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.url()).contains("/offer?c=" + lead);
        assertThat(post.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(post.body());
        assertThat(body.get("click_id").asText()).isEqualTo(lead);
        assertThat(body.get("sub3").asText()).isEqualTo("x");
        assertThat(body.get("goal").asText()).isEqualTo("lead");
        assertThat(AffnetSignatureVerifier.verify(s.secret, post.header("Affnet-Signature"), "POST", post.url(), post.body(), 300)).isTrue();

        String sale = s.click("");
        s.t.postback("click_id=" + sale + "&goal=sale&txn_id=S1&amount=100");
        await().atMost(WAIT).until(() -> receiver.effective.size() == 2);
        assertThat(receiver.effective.get(1).url()).endsWith("/sale?p=7.00");
        assertThat(receiver.effective.get(1).method()).isEqualTo("GET");
    }

    @Test
    void aStatusChangeIsDeliveredAsWellButARejectionIsNot() throws Exception {
        Setup s = new Setup("ob-status").global("/pb?st={status}&tx={transaction_id}");
        String click = s.click("");
        s.t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=pending");
        s.t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=approved");
        assertThat(s.t.postback("click_id=AAAAAAAAAAAAAAAAAAAAAA&goal=lead").body()).isEqualTo("rejected:unknown_click");
        await().atMost(WAIT).until(() -> receiver.effective.size() == 2);
        assertThat(receiver.effective).extracting(r -> query(r.url()).get("st")).containsExactlyInAnyOrder("pending", "approved");
        assertThat(receiver.effective).extracting(r -> r.header("Affnet-Event"))
                .containsExactlyInAnyOrder("conversion.recorded", "conversion.status_changed");
    }

    @Test
    void retriesOn500AndOnATimeoutWithTheSameDeliveryIdUntilItIsDelivered() throws Exception {
        Setup s = new Setup("ob-retry").global("/pb?c={click_id}");
        receiver.answerInTurn(500, -1, 200);
        String conversion = s.convert("R1");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(conversion)));
        JsonNode log = s.log(conversion);
        assertThat(log).hasSize(3);
        assertThat(log.get(2).get("outcome").asText()).isEqualTo("RETRY");
        assertThat(log.get(2).get("statusCode").asInt()).isEqualTo(500);
        assertThat(log.get(1).get("outcome").asText()).isEqualTo("RETRY");
        assertThat(log.get(1).get("error").asText()).contains("timed out");
        assertThat(log.get(0).get("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(log.get(0).get("attempt").asInt()).isEqualTo(3);
        assertThat(receiver.requests).extracting(r -> r.header("Affnet-Delivery-Id")).containsOnly(log.get(0).get("deliveryId").asText());
        await().atMost(WAIT).until(() -> receiver.requests.size() == 3);
        assertThat(receiver.effective).as("the late answer to the timed-out attempt and the retry are one delivery").hasSize(1);
    }

    @Test
    void afterTheLastAttemptADeliveryIsDeadLetteredAndRedeliveredOnRequest() throws Exception {
        Setup s = new Setup("ob-dead").global("/pb?c={click_id}");
        receiver.answer(r -> PostbackReceiver.Answer.status(503));
        String conversion = s.convert("D1");
        await().atMost(WAIT).until(() -> "DEAD".equals(s.state(conversion)));
        assertThat(receiver.requests).hasSize(3);
        assertThat(s.log(conversion).get(0).get("outcome").asText()).isEqualTo("DEAD");
        String deliveryId = s.log(conversion).get(0).get("deliveryId").asText();

        receiver.answer(r -> PostbackReceiver.Answer.status(200));
        Response redeliver = send("POST", "/api/v1/affiliates/" + s.affiliate + "/postback-deliveries/" + deliveryId + "/redeliver",
                s.t.key, null);
        assertThat(redeliver.status()).as(redeliver.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(conversion)));
        assertThat(receiver.effective).hasSize(1);
        assertThat(s.log(conversion).get(0).get("attempt").asInt()).isEqualTo(4);
        Response again = send("POST", "/api/v1/affiliates/" + s.affiliate + "/postback-deliveries/" + deliveryId + "/redeliver",
                s.t.key, null);
        assertThat(again.status()).as("only dead letters are redelivered").isEqualTo(409);
    }

    @Test
    void a404IsNotRetried() throws Exception {
        Setup s = new Setup("ob-404").global("/gone?c={click_id}");
        receiver.answer(r -> PostbackReceiver.Answer.status(404));
        String conversion = s.convert("N1");
        await().atMost(WAIT).until(() -> "DEAD".equals(s.state(conversion)));
        assertThat(receiver.requests).hasSize(1);
        assertThat(s.log(conversion).get(0).get("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void anEndpointIsPausedAfterFiveFailuresInARowAndResumedByTheTenant() throws Exception {
        Setup s = new Setup("ob-pause").global("/pb?c={click_id}");
        receiver.answer(r -> PostbackReceiver.Answer.status(500));
        String first = s.convert("F1");
        await().atMost(WAIT).until(() -> "DEAD".equals(s.state(first)));
        String second = s.convert("F2");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode endpoint = send("GET", "/api/v1/affiliates/" + s.affiliate + "/postback", s.t.key, null).json();
            assertThat(endpoint.get("paused").asBoolean()).isTrue();
            assertThat(endpoint.get("pauseReason").asText()).contains("5 failures in a row");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype = ?",
                Integer.class, "ope_" + s.affiliate, "io.affnet.api.outbound.PostbackEndpointPausedEvent")).isEqualTo(1);
        assertThat(receiver.requests).as("nothing is sent while paused").hasSize(5);
        assertThat(s.state(second)).isEqualTo("PENDING");

        receiver.answer(r -> PostbackReceiver.Answer.status(200));
        assertThat(send("POST", "/api/v1/affiliates/" + s.affiliate + "/postback/resume", s.t.key, null).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(second)));
        assertThat(send("GET", "/api/v1/affiliates/" + s.affiliate + "/postback", s.t.key, null).json().get("paused").asBoolean()).isFalse();
    }

    @Test
    void exactlyOneEffectiveDeliveryWhenTheNodeDiesBetweenSendingAndRecording() throws Exception {
        Setup s = new Setup("ob-crash").global("/pb?c={click_id}");
        Set<String> crashed = ConcurrentHashMap.newKeySet();
        faults.crashAfterSend(id -> s.t.tenantId.equals(jdbc.queryForObject(
                "SELECT tenant_id FROM outbound_delivery WHERE delivery_id = ?", String.class, id)) && crashed.add(id));
        String conversion = s.convert("X1");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(conversion)));
        assertThat(crashed).hasSize(1);
        assertThat(receiver.requests).hasSize(2);
        assertThat(receiver.requests).extracting(r -> r.header("Affnet-Delivery-Id")).containsOnly(crashed.iterator().next());
        assertThat(receiver.requests).extracting(r -> r.header("Affnet-Delivery-Attempt")).containsExactly("1", "2");
        assertThat(receiver.effective).as("the receiver drops the copy by its delivery id").hasSize(1);
        JsonNode log = s.log(conversion);
        assertThat(log.get(1).get("outcome").asText()).isEqualTo("INTERRUPTED");
        assertThat(log.get(0).get("outcome").asText()).isEqualTo("DELIVERED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?", Integer.class, s.t.tenantId))
                .isEqualTo(1);
    }

    /**
     * The database refuses the write of an attempt's outcome for longer than two leases (a PostgreSQL trigger
     * raising a serialization failure on that tenant's deliveries leaving IN_FLIGHT, as during a short outage of
     * the write path): the node retries the write and renews the lease meanwhile, so the delivery is neither left
     * in flight nor sent again. Before the fix the first failed write left the row in flight, its lease ran out and
     * the delivery was sent a second time, logged as "the node stopped" though no node had.
     */
    @Test
    void aFailedWriteOfTheOutcomeIsRetriedUnderARenewedLeaseAndNothingIsSentAgain() throws Exception {
        Setup s = new Setup("ob-record").global("/pb?c={click_id}");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String function = "ob_record_fails_" + suffix;
        String trigger = "ob_record_fails_" + suffix;
        jdbc.execute("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.tenant_id = '" + s.t.tenantId + "' AND OLD.state = 'IN_FLIGHT' AND NEW.state <> 'IN_FLIGHT' THEN "
                + "RAISE EXCEPTION 'outcome write refused by " + trigger + "' USING ERRCODE = '40001'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE UPDATE ON outbound_delivery FOR EACH ROW EXECUTE FUNCTION " + function + "()");
        String conversion;
        try {
            conversion = s.convert("RW1");
            await().atMost(WAIT).until(() -> !receiver.requests.isEmpty());
            await().atMost(WAIT).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM outbound_attempt WHERE tenant_id = ?", Integer.class, s.t.tenantId) >= 1);
            // The outcome write refused for more than two leases (the it profile's lease is 3 s): the lease has been
            // renewed past 7 s after the attempt started, and the delivery is still this attempt's.
            await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT d.lease_until > a.started_at + interval '7 seconds' "
                    + "FROM outbound_delivery d JOIN outbound_attempt a ON a.attempt_id = d.in_flight_attempt WHERE d.tenant_id = ?",
                    Boolean.class, s.t.tenantId));
            assertThat(s.state(conversion)).as("not recorded while the write is refused").isEqualTo("IN_FLIGHT");
            assertThat(receiver.requests).as("not sent again while the lease is renewed").hasSize(1);
            jdbc.execute("DROP TRIGGER " + trigger + " ON outbound_delivery");
            await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(conversion)));
        } finally {
            jdbc.execute("DROP TRIGGER IF EXISTS " + trigger + " ON outbound_delivery");
            jdbc.execute("DROP FUNCTION IF EXISTS " + function + "()");
        }
        // Attempt 1's outcome is written by its own node once the write goes through: DELIVERED, or RETRY when the
        // sender itself gave up on the answer (the it profile's 1 s attempt timeout on a loaded machine), and then
        // sent again by the retry policy, not by a lapsed lease. Never taken over (INTERRUPTED) nor overwritten.
        JsonNode log = s.log(conversion);
        JsonNode first = log.get(log.size() - 1);
        assertThat(first.get("attempt").asInt()).isEqualTo(1);
        assertThat(first.get("outcome").asText()).as("attempt 1 recorded by its node").isIn("DELIVERED", "RETRY");
        assertThat(log).extracting(e -> e.get("outcome").asText()).doesNotContain("INTERRUPTED", "SUPERSEDED");
        if (first.get("outcome").asText().equals("DELIVERED")) {
            assertThat(receiver.requests).as("sent once: the lease was renewed while the outcome write was retried").hasSize(1);
        }
    }

    @Test
    void aReplayOfTheEnqueuingProcessorDeliversNothing() throws Exception {
        Setup s = new Setup("ob-replay").global("/pb?c={click_id}");
        Instant before = Instant.now().minusSeconds(5);
        String conversion = s.convert("RP1");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(s.state(conversion)));
        // Delivery rows are the only other guard (their unique key); remove them, as retention would.
        jdbc.update("DELETE FROM outbound_attempt WHERE tenant_id = ?", s.t.tenantId);
        jdbc.update("DELETE FROM outbound_delivery WHERE tenant_id = ?", s.t.tenantId);

        assertThat(enqueuer().supportsReset()).as("the API refuses to reset a processor with only no-replay handlers").isFalse();
        // What a replay started from outside (an operator's tool, Axon Server's UI) does: replay tokens.
        TrackingToken start = eventStore.createTokenAt(before);
        List<Long> positions = new CopyOnWriteArrayList<>();
        restartEnqueuerFrom(current -> {
            positions.add(current.position().orElseThrow());
            return ReplayToken.createReplayToken(current, start);
        });
        // A segment that had nothing to handle may still hold a token stored before `before` (tokens of idle
        // segments are stored only on claim extension); the segment that enqueued the delivery is past it.
        assertThat(positions).as("segment tokens at the reset").anyMatch(p -> p > start.position().orElseThrow());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?", Integer.class, s.t.tenantId))
                .isZero();
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void conversionsOfSeveralTenantsHandledInOneBatchAreEnqueuedEachForItsOwnClickAndOnlyOnceWhenHandledAgain() throws Exception {
        Setup a = new Setup("ob-batch-a").global("/a?c={click_id}&s1={sub1}&tx={transaction_id}");
        Setup b = new Setup("ob-batch-b").templates("[{\"method\":\"POST\",\"url\":\"" + receiver.base() + "/b?c={click_id}\"}]");
        Setup none = new Setup("ob-batch-none");
        Map<String, String> sub1OfClick = new LinkedHashMap<>();
        Map<String, Setup> setupOfClick = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            for (Setup s : List.of(a, b, none)) {
                String sub1 = s.t.tenantId.substring(0, 6) + "-" + i;
                String click = s.click("sub1=" + sub1);
                sub1OfClick.put(click, sub1);
                setupOfClick.put(click, s);
            }
        }
        TrackingToken beforeConversions = eventStore.createHeadToken();
        PooledStreamingEventProcessor processor = enqueuer();
        // Stopped while the conversions are made, the processor finds them all waiting: a few batches of several.
        processor.shutdownAsync().get(30, TimeUnit.SECONDS);
        try {
            int n = 0;
            for (Map.Entry<String, Setup> e : setupOfClick.entrySet()) {
                assertThat(e.getValue().t.postback("click_id=" + e.getKey() + "&goal=lead&txn_id=B" + n++).body()).isEqualTo("accepted");
            }
        } finally {
            processor.start();
        }
        await().atMost(WAIT).until(() -> receiver.effective.size() == 8);
        for (PostbackReceiver.Received r : receiver.effective) {
            String click = query(r.url()).get("c");
            String sub1 = r.method().equals("POST") ? JSON.readTree(r.body()).get("sub1").asText() : query(r.url()).get("s1");
            assertThat(sub1).as("the sub id of the delivery's own click").isEqualTo(sub1OfClick.get(click));
            assertThat(r.url()).contains(setupOfClick.get(click) == a ? "/a?" : "/b?");
        }
        assertThat(receiver.effective).extracting(r -> query(r.url()).get("c")).doesNotHaveDuplicates();
        Map<Setup, Integer> rows = Map.of(a, 4, b, 4, none, 0);
        rows.forEach((s, expected) -> assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?",
                Integer.class, s.t.tenantId)).isEqualTo(expected));

        // The same events handled again (as after a crash before the token was stored): nothing new is enqueued.
        restartEnqueuerFrom(current -> beforeConversions);
        rows.forEach((s, expected) -> assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?",
                Integer.class, s.t.tenantId)).isEqualTo(expected));
        assertThat(receiver.requests).hasSize(8);
    }

    @Test
    void targetsThatResolveToPrivateLoopbackOrMetadataAddressesAreRefused() throws Exception {
        Traffic t = Traffic.tenant(this, "ob-ssrf", false);
        String affiliate = t.affiliate("aff@example.com", "[]");
        long events = eventCount();
        for (String url : List.of("http://127.0.0.1:8080/pb", "http://localhost/pb", "http://169.254.169.254/latest/meta-data",
                "http://10.1.2.3/pb", "http://172.16.0.1/pb", "http://192.168.1.1/pb", "http://100.64.0.1/pb", "http://0.0.0.0/pb",
                "http://[::1]/pb", "http://[fd00::1]/pb", "http://[fe80::1]/pb", "http://[::ffff:127.0.0.1]/pb")) {
            Response r = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                    "{\"templates\":[{\"url\":\"" + url + "?c={click_id}\"}]}");
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).as(url).contains("templates[0].url points at");
        }
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void theStoresOwnInterfacesMappedFormsPrivateNamesAndNonCanonicalHostsAreRefusedAtSave() throws Exception {
        Traffic t = Traffic.tenant(this, "ob-ssrf-save", false);
        String affiliate = t.affiliate("aff@example.com", "[]");
        long events = eventCount();
        String own = null;
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    own = a.getHostAddress();
                }
            }
        }
        assertThat(own).as("a non-loopback interface address of this host").isNotNull();
        int receiverPort = URI.create(receiver.base()).getPort();
        for (String url : List.of("http://127.0.0.1:9200/_all/_search", "http://" + own + ":" + receiverPort + "/pb",
                "http://localhost:9200/pb", "http://192.0.2.10/pb", "http://198.51.100.7/pb", "http://203.0.113.9/pb",
                "http://[2002:c000:20a::1]/pb", "http://[64:ff9b::7f00:1]/pb", "http://[2001::1]/pb", "http://198.18.0.1/pb")) {
            Response r = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                    "{\"templates\":[{\"url\":\"" + url + "?c={click_id}\"}]}");
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).as(url).contains("templates[0].url points at");
        }
        for (String url : List.of("http://0x7f000001/pb", "http://2130706433/pb", "http://0177.0.0.1/pb", "http://127.1/pb",
                "http://0x7f.0.0.1/pb", "http://[::ffff:127.0.0.1]:9200/pb", "http://[::ffff:7f00:1]:" + receiverPort + "/pb")) {
            Response r = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                    "{\"templates\":[{\"url\":\"" + url + "?c={click_id}\"}]}");
            assertThat(r.status()).as(url).isEqualTo(400);
            // Short forms such as 127.1 are already refused by the template rules as naming no host.
            assertThat(r.json().get("detail").asText()).as(url).containsAnyOf("non-canonical", "must name a host");
        }
        Response hostMacro = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                "{\"templates\":[{\"url\":\"http://{sub1}/pb?c={click_id}\"}]}");
        assertThat(hostMacro.status()).isEqualTo(400);
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aTenantCannotAllowPrivateTargets() {
        Traffic t = Traffic.tenant(this, "ob-private", false);
        long events = eventCount();
        Response allow = send("PUT", "/api/v1/outbound-settings", t.key, "{\"allowPrivateTargets\":true}");
        assertThat(allow.status()).isEqualTo(400);
        assertThat(allow.contentType()).startsWith("application/problem+json");
        assertThat(allow.json().get("detail").asText()).contains("affnet.outbound.private-targets");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(send("GET", "/api/v1/outbound-settings", t.key, null).json().get("allowPrivateTargets").asBoolean()).isFalse();
    }

    @Test
    void badTemplatesAreRejectedAtConfigurationTimeWithProblemJson() throws Exception {
        Setup s = new Setup("ob-bad");
        long events = eventCount();
        String r = receiver.base();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("[{\"url\":\"" + r + "/pb?c={clickid}\"}]", "unknown macros {clickid}");
        bad.put("[{\"url\":\"ftp://example.com/pb\"}]", "http:// or https://");
        bad.put("[{\"url\":\"javascript:alert(1)\"}]", "http:// or https://");
        bad.put("[{\"url\":\"" + r + "/pb?c=" + "x".repeat(2100) + "\"}]", "longer than 2048");
        bad.put("[{\"url\":\"http://{sub1}.example.com/pb\"}]", "not in the scheme, host or port");
        bad.put("[{\"url\":\"" + r + "/pb?c={click_id\"}]", "unclosed");
        bad.put("[{\"url\":\"\"}]", "url is required");
        bad.put("[{\"goal\":\"lead\",\"url\":\"" + r + "/pb\"}]", "goal needs an offerId");
        bad.put("[{\"offerId\":\"off_nope\",\"url\":\"" + r + "/pb\"}]", "does not exist");
        bad.put("[{\"offerId\":\"" + s.offer + "\",\"goal\":\"nope\",\"url\":\"" + r + "/pb\"}]", "has no goal 'nope'");
        bad.put("[{\"url\":\"" + r + "/a\"},{\"url\":\"" + r + "/b\"}]", "only one global template");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Response response = send("PUT", "/api/v1/affiliates/" + s.affiliate + "/postback", s.t.key, "{\"templates\":" + e.getKey() + "}");
            assertThat(response.status()).as(e.getKey()).isEqualTo(400);
            assertThat(response.contentType()).as(e.getKey()).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asText()).as(e.getKey()).contains(e.getValue());
        }
        Response method = send("PUT", "/api/v1/affiliates/" + s.affiliate + "/postback", s.t.key,
                "{\"templates\":[{\"method\":\"DELETE\",\"url\":\"" + r + "/pb\"}]}");
        assertThat(method.status()).isEqualTo(400);
        assertThat(method.contentType()).startsWith("application/problem+json");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(send("GET", "/api/v1/affiliates/" + s.affiliate + "/postback", s.t.key, null).status()).isEqualTo(404);
    }

    @Test
    void testFireSendsTheSampleSignedAndShowsWhatWasSentAndWhatCameBack() throws Exception {
        Setup s = new Setup("ob-fire").global("/pb?c={click_id}&p={payout}&s1={sub1}");
        receiver.answer(r -> new PostbackReceiver.Answer(202, 0, Map.of("Retry-After", "1", "X-Other", "hidden")));
        Response fire = send("POST", "/api/v1/affiliates/" + s.affiliate + "/postback/test", s.t.key, null);
        assertThat(fire.status()).as(fire.body()).isEqualTo(200);
        JsonNode body = fire.json();
        assertThat(body.at("/sent/url").asText()).isEqualTo(receiver.base() + "/pb?c=test_click_id&p=1.23&s1=test_sub1");
        assertThat(body.at("/sent/headers/Affnet-Signature").asText()).startsWith("t=");
        assertThat(body.at("/received/status").asInt()).isEqualTo(202);
        assertThat(body.at("/received/body").asText()).isEqualTo("ok");
        // Only the status and a short excerpt: no response header of an arbitrary host is shown back.
        assertThat(body.at("/received/headers").size()).isZero();
        assertThat(body.at("/received/latencyMs").isNumber()).isTrue();
        PostbackReceiver.Received got = receiver.requests.get(0);
        assertThat(AffnetSignatureVerifier.verify(s.secret, got.header("Affnet-Signature"), "GET", got.url(), got.body(), 300)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?", Integer.class, s.t.tenantId))
                .as("a test-fire is not a delivery").isZero();
    }

    @Test
    void anotherTenantsAffiliatesConversionsAndDeliveriesAnswer404() throws Exception {
        Setup owner = new Setup("ob-owner").global("/pb?c={click_id}");
        String conversion = owner.convert("I1");
        await().atMost(WAIT).until(() -> "DELIVERED".equals(owner.state(conversion)));
        String deliveryId = owner.log(conversion).get(0).get("deliveryId").asText();
        String[] other = registerTenant(uniqueSlug("ob-intruder"));
        String aff = owner.affiliate;
        for (String[] call : List.of(
                new String[]{"GET", "/api/v1/affiliates/" + aff + "/postback"},
                new String[]{"GET", "/api/v1/affiliates/" + aff + "/postback-deliveries"},
                new String[]{"GET", "/api/v1/conversions/" + conversion + "/postback-deliveries"},
                new String[]{"POST", "/api/v1/affiliates/" + aff + "/postback/test"},
                new String[]{"POST", "/api/v1/affiliates/" + aff + "/postback/resume"},
                new String[]{"POST", "/api/v1/affiliates/" + aff + "/postback/secret"},
                new String[]{"POST", "/api/v1/affiliates/" + aff + "/postback-deliveries/" + deliveryId + "/redeliver"})) {
            Response r = send(call[0], call[1], other[1], null);
            assertThat(r.status()).as(call[1]).isEqualTo(404);
            assertThat(r.contentType()).as(call[1]).startsWith("application/problem+json");
        }
        Response put = send("PUT", "/api/v1/affiliates/" + aff + "/postback", other[1],
                "{\"templates\":[{\"url\":\"https://example.com/pb\"}]}");
        assertThat(put.status()).isEqualTo(404);
        // The same through GraphQL (config.graphqls): the owner reads the log typed, the intruder gets NOT_FOUND.
        JsonNode mine = graphql(owner.t.key, "{ conversionPostbackDeliveries(conversionId: \"" + conversion + "\", first: 1) "
                + "{ items { deliveryId conversionId affiliateId attempt statusCode latencyMs outcome url } next } "
                + "postbackDeliveries(affiliateId: \"" + aff + "\") { items { deliveryId } next } "
                + "affiliatePostback(affiliateId: \"" + aff + "\") { affiliateId templates { url } } }");
        assertThat(mine.path("errors").isMissingNode()).as(mine.toString()).isTrue();
        JsonNode item = mine.at("/data/conversionPostbackDeliveries/items/0");
        assertThat(item.get("deliveryId").asText()).isEqualTo(deliveryId);
        assertThat(item.get("statusCode").isInt()).isTrue();
        assertThat(item.get("attempt").asInt()).isEqualTo(1);
        assertThat(mine.at("/data/conversionPostbackDeliveries/next").isNull()).isTrue();
        assertThat(mine.at("/data/postbackDeliveries/items/0/deliveryId").asText()).isEqualTo(deliveryId);
        assertThat(mine.at("/data/affiliatePostback/affiliateId").asText()).isEqualTo(aff);
        for (String query : List.of("{ affiliatePostback(affiliateId: \"" + aff + "\") { affiliateId } }",
                "{ postbackDeliveries(affiliateId: \"" + aff + "\") { next } }",
                "{ conversionPostbackDeliveries(conversionId: \"" + conversion + "\") { next } }")) {
            JsonNode answer = graphql(other[1], query);
            assertThat(answer.at("/errors/0/extensions/classification").asText()).as(answer.toString()).isEqualTo("NOT_FOUND");
            assertThat(answer.toString()).doesNotContain(deliveryId);
        }
        assertThat(receiver.requests).hasSize(1);
    }

    private JsonNode graphql(String key, String query) {
        Response r = send("POST", "/graphql", key, "{\"query\":" + JSON.valueToTree(query) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private PooledStreamingEventProcessor enqueuer() {
        return processing.eventProcessor(DeliveryEnqueuer.GROUP, PooledStreamingEventProcessor.class).orElseThrow();
    }

    /** Stops the enqueuing processor, replaces each segment's token by {@code token(current)}, starts it and waits until it caught up. */
    private void restartEnqueuerFrom(UnaryOperator<TrackingToken> token) throws Exception {
        ProcessorTokens.restartFrom(processing, tokenStore, eventStore, axonTransactions, DeliveryEnqueuer.GROUP, token, WAIT);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
