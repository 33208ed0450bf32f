package io.affnet.platform.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.command.postback.ConversionBatcher;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConversionIT extends PlatformIT {

    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";
    private static final String REJECTED = "io.affnet.api.conversion.ConversionRejectedEvent";
    private static final String CHANGED = "io.affnet.api.conversion.ConversionStatusChangedEvent";
    private static final String EARNED = "io.affnet.api.ledger.CommissionEarnedEvent";
    private static final String REVERSED = "io.affnet.api.ledger.CommissionReversedEvent";

    @Autowired
    ConversionBatcher batcher;

    @Test
    void cpaAndRevsharePerGoalWithTheAffiliatesOverride() throws Exception {
        Traffic t = Traffic.tenant(this, "cpa", false);
        String offer = t.offer("null", 86400);
        String affiliate = t.affiliate("aff@example.com",
                "[{\"offerId\":\"" + offer + "\",\"goal\":\"sale\",\"payout\":{\"percent\":\"15\"}}]");
        String code = t.link(affiliate, offer);

        String lead = t.clickId(code);
        assertThat(t.postback("click_id=" + lead + "&goal=lead&txn_id=L1").body()).isEqualTo("accepted");
        JsonNode recorded = t.lastEvent(lead, RECORDED);
        assertThat(recorded.at("/revenue/minor").asLong()).isEqualTo(300);
        assertThat(recorded.at("/payout/minor").asLong()).isEqualTo(200);
        assertThat(recorded.get("status").asText()).isEqualTo("APPROVED");
        assertThat(t.count(lead, EARNED)).isEqualTo(1);

        String sale = t.clickId(code);
        assertThat(t.postback("cid=" + sale + "&event=sale&txid=S1&sale_amount=80,00").body()).isEqualTo("accepted");
        recorded = t.lastEvent(sale, RECORDED);
        assertThat(recorded.at("/sale/minor").asLong()).isEqualTo(8000);
        assertThat(recorded.at("/revenue/minor").asLong()).isEqualTo(800);
        assertThat(recorded.at("/payout/minor").asLong()).as("15 %% override, not the offer's 7 %%").isEqualTo(1200);
        assertThat(recorded.at("/payout/currency").asText()).isEqualTo("EUR");
    }

    @Test
    void aSaleInAnotherCurrencyIsConvertedWithTheRateKeptInTheEvent() throws Exception {
        Traffic t = Traffic.tenant(this, "fx", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=sale&txn_id=FX1&amount=100&currency=USD").body()).isEqualTo("accepted");
        JsonNode recorded = t.lastEvent(click, RECORDED);
        assertThat(recorded.at("/originalSale/minor").asLong()).isEqualTo(10000);
        assertThat(recorded.at("/originalSale/currency").asText()).isEqualTo("USD");
        // The shipped ECB set of 2022-07-08: 1 EUR = 1.0163 USD, so 1 USD = 1 / 1.0163 EUR.
        assertThat(recorded.at("/sale/minor").asLong()).isEqualTo(9840);
        assertThat(recorded.at("/sale/currency").asText()).isEqualTo("EUR");
        assertThat(recorded.at("/rate/rate").asText()).isEqualTo("0.9839614287119945");
        assertThat(recorded.at("/rate/from").asText()).isEqualTo("USD");
        assertThat(recorded.at("/rate/source").asText()).isEqualTo("ecb-shipped");
        assertThat(recorded.at("/rate/asOf").asText()).isEqualTo("2022-07-08");
        assertThat(recorded.at("/payout/minor").asLong()).isEqualTo(689);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response log = send("GET", "/api/v1/reports/conversions?filter.click_id=" + click, t.key, null);
            assertThat(log.status()).as(log.body()).isEqualTo(200);
            JsonNode item = log.json().path("items").path(0);
            assertThat(item.path("sale").asText()).isEqualTo("98.40");
            assertThat(item.path("sale_currency").asText()).isEqualTo("EUR");
            assertThat(item.path("original_sale").asText()).isEqualTo("100.00");
            assertThat(item.path("original_currency").asText()).isEqualTo("USD");
            assertThat(item.path("sale_fx_rate").asText()).isEqualTo("0.9839614287119945");
            assertThat(item.path("sale_fx_source").asText()).isEqualTo("ecb-shipped@2022-07-08");
        });
        Response csv = send("GET", "/api/v1/reports/conversions?format=csv&filter.click_id=" + click, t.key, null);
        assertThat(csv.body().lines().findFirst().orElseThrow())
                .contains("sale,sale_currency,original_sale,original_currency,sale_fx_rate,sale_fx_source");
        assertThat(csv.body()).contains("98.40,EUR,100.00,USD,0.9839614287119945,ecb-shipped@2022-07-08");
    }

    @Test
    void aFirstDeclineIsRecordedAsDeclinedAndALaterApprovalCreditsOnlyWhenTheTenantAllowsIt() throws Exception {
        Traffic t = Traffic.tenant(this, "declined", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=D1&status=3").body()).isEqualTo("rejected:declined");
        assertThat(t.lastEvent(click, REJECTED).get("reason").asText()).isEqualTo("DECLINED");
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=D1&status=1").body()).isEqualTo("rejected:declined");
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=D2&status=1").body()).isEqualTo("accepted");

        Response allow = send("PUT", "/api/v1/postback-settings", t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false,\"allowReapproval\":true}}");
        assertThat(allow.status()).as(allow.body()).isEqualTo(200);
        assertThat(allow.json().at("/fraud/allowReapproval").asBoolean()).isTrue();
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=D1&status=1").body()).isEqualTo("accepted");
        assertThat(t.lastEvent(click, RECORDED).get("transactionId").asText()).isEqualTo("D1");
    }

    @Test
    void everyExchangeRateSetInUseIsKeptAsAnEvent() {
        Long sets = jdbc.queryForObject("SELECT count(*) FROM fx_rate_set WHERE source = 'ecb-shipped' AND as_of = '2022-07-08'",
                Long.class);
        assertThat(sets).isEqualTo(1);
        String setId = jdbc.queryForObject("SELECT set_id FROM fx_rate_set WHERE source = 'ecb-shipped'", String.class);
        List<String> published = jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domainevententry "
                + "WHERE payloadtype = 'io.affnet.api.conversion.ExchangeRatesPublishedEvent'", String.class);
        assertThat(published).anySatisfy(p -> assertThat(p).contains(setId).contains("\"USD\":\"1.0163\"")
                .contains("\"ZAR\":\"17.1922\"").contains("\"EUR\":\"1\""));
    }

    @Test
    void twentyIdenticalPostbacksAtOnceMakeOneConversion() throws Exception {
        Traffic t = Traffic.tenant(this, "dedupe", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        String click = t.clickId(code);
        List<String> answers = concurrently(20, i -> () -> t.postback("click_id=" + click + "&goal=lead&txn_id=SAME").body());
        assertThat(answers.stream().filter("accepted"::equals).count()).isEqualTo(1);
        assertThat(answers.stream().filter("duplicate"::equals).count()).isEqualTo(19);
        assertThat(t.count(click, RECORDED)).isEqualTo(1);
        assertThat(t.count(click, EARNED)).isEqualTo(1);

        String other = t.clickId(code);
        long retries = batcher.claimRetries();
        long fallbacks = batcher.fallbacks();
        assertThat(t.postback("click_id=" + other + "&goal=lead&txn_id=SAME").body())
                .as("the same transaction id on another click of the offer").isEqualTo("duplicate");
        assertThat(t.count(other, RECORDED)).isZero();
        // The batch's deferred claim found the id held: the batch was tried again knowing it, not handled one by one.
        assertThat(batcher.claimRetries()).isGreaterThan(retries);
        assertThat(batcher.fallbacks()).isEqualTo(fallbacks);
    }

    @Test
    void oneTransactionIdSentForManyClicksAtOnceCreditsOneConversion() throws Exception {
        Traffic t = Traffic.tenant(this, "txnrace", false);
        String code = t.link(t.affiliate("r@example.com", "[]"), t.offer("null", 86400));
        List<String> clicks = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clicks.add(t.clickId(code));
        }
        // Batches claim their ids with one insert before the commit: clicks spread over both writers, several per batch.
        List<String> answers = concurrently(12, i -> () -> t.postback("click_id=" + clicks.get(i) + "&goal=lead&txn_id=RACE").body());
        assertThat(answers.stream().filter("accepted"::equals).count()).as(answers.toString()).isEqualTo(1);
        assertThat(answers.stream().filter("duplicate"::equals).count()).as(answers.toString()).isEqualTo(11);
        assertThat(clicks.stream().mapToInt(c -> t.count(c, RECORDED)).sum()).isEqualTo(1);
        assertThat(clicks.stream().mapToInt(c -> t.count(c, EARNED)).sum()).isEqualTo(1);
    }

    @Test
    void capsHoldExactlyUnderConcurrentPostbacks() throws Exception {
        Traffic t = Traffic.tenant(this, "caps", false);
        String offer = t.offer("{\"daily\":5}", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        List<String> clicks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            clicks.add(t.clickId(code));
        }
        List<String> answers = concurrently(12, i -> () -> t.postback("click_id=" + clicks.get(i) + "&goal=lead&txn_id=C" + i).body());
        Map<String, Long> byAnswer = answers.stream().collect(Collectors.groupingBy(a -> a, Collectors.counting()));
        assertThat(byAnswer).containsEntry("accepted", 5L).containsEntry("rejected:cap_reached", 7L);
        int recorded = 0;
        for (String c : clicks) {
            recorded += t.count(c, RECORDED);
        }
        assertThat(recorded).isEqualTo(5);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(t.click(code).headers().firstValue("Location").orElse("")).as("capped offer: no fallback → 404")
                        .isEmpty());
    }

    @Test
    void statusesMoveForwardAndAReversalTakesTheCommissionBack() throws Exception {
        Traffic t = Traffic.tenant(this, "status", false);
        String affiliate = t.affiliate("a@example.com", "[]");
        String code = t.link(affiliate, t.offer("null", 86400));
        String click = t.clickId(code);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=2").body()).isEqualTo("accepted");
        assertThat(t.lastEvent(click, RECORDED).get("status").asText()).isEqualTo("PENDING");
        assertThat(t.count(click, EARNED)).isZero();
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=2").body()).isEqualTo("duplicate");
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=approved").body()).isEqualTo("accepted");
        assertThat(t.count(click, EARNED)).isEqualTo(1);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=chargeback").body()).isEqualTo("accepted");
        JsonNode reversed = t.lastEvent(click, REVERSED);
        assertThat(reversed.at("/amount/minor").asLong()).isEqualTo(-200);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=P1&status=1").body())
                .isEqualTo("rejected:invalid_status_change");
        assertThat(t.count(click, CHANGED)).isEqualTo(2);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT status FROM affiliate_commission WHERE tenant_id = ? AND affiliate_id = ?", String.class,
                t.tenantId, affiliate)).containsExactly("REVERSED"));
    }

    @Test
    void conversionsOutsideTheWindowAreRejected() throws Exception {
        Traffic t = Traffic.tenant(this, "window", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 1));
        String click = t.clickId(code);
        await().pollDelay(Duration.ofMillis(2100)).until(() -> true);
        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=W1").body()).isEqualTo("rejected:outside_window");
        assertThat(t.lastEvent(click, REJECTED).get("reason").asText()).isEqualTo("OUTSIDE_WINDOW");
    }

    @Test
    void fraudRulesRejectWithTheirReasons() throws Exception {
        Traffic t = Traffic.tenant(this, "fraud", true);
        String code = t.link(t.affiliate("Self@Example.com", "[]"), t.offer("null", 86400));
        String fast = t.clickId(code);
        assertThat(t.postback("click_id=" + fast + "&goal=lead&txn_id=F1").body()).isEqualTo("rejected:fraud_too_fast");

        send("PUT", "/api/v1/postback-settings", t.key,
                "{\"fraud\":{\"minSecondsToConvert\":0,\"maxConversionsPerClickGoal\":2,\"selfReferral\":true,\"flagOnly\":false}}");
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> true);
        String self = t.clickId(code);
        assertThat(t.postback("click_id=" + self + "&goal=lead&txn_id=F2&email=" + Traffic.enc(" self@example.COM ")).body())
                .isEqualTo("rejected:fraud_self_referral");
        String many = t.clickId(code);
        assertThat(t.postback("click_id=" + many + "&goal=lead&txn_id=M1").body()).isEqualTo("accepted");
        assertThat(t.postback("click_id=" + many + "&goal=lead&txn_id=M2").body()).isEqualTo("accepted");
        assertThat(t.postback("click_id=" + many + "&goal=lead&txn_id=M3").body()).isEqualTo("rejected:fraud_too_many_per_click");
    }

    @Test
    void unknownAndForeignClicksAreRejectedAndVisibleToTheTenant() throws Exception {
        Traffic a = Traffic.tenant(this, "owner", false);
        Traffic b = Traffic.tenant(this, "intruder", false);
        String code = a.link(a.affiliate("a@example.com", "[]"), a.offer("null", 86400));
        String click = a.clickId(code);
        assertThat(b.postback("click_id=" + click + "&goal=lead&txn_id=X1").body()).isEqualTo("rejected:unknown_click");
        assertThat(a.count(click, RECORDED)).isZero();
        assertThat(b.postback("click_id=AAAAAAAAAAAAAAAAAAAAAA&goal=lead").body()).isEqualTo("rejected:unknown_click");
        assertThat(b.postback("click_id=%7Bclickid%7D&goal=lead").body()).isEqualTo("rejected:unknown_click");
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM domainevententry WHERE payloadtype = ?
                AND convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?""", Integer.class, REJECTED, b.tenantId))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void badTokensAndMalformedPostbacksChangeNothing() throws Exception {
        Traffic t = Traffic.tenant(this, "badpb", false);
        String code = t.link(t.affiliate("a@example.com", "[]"), t.offer("null", 86400));
        String click = t.clickId(code);
        long before = eventCount();
        Response noToken = send("GET", "/postback?click_id=" + click + "&goal=lead", null, null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.contentType()).startsWith("application/problem+json");
        assertThat(send("GET", "/postback?click_id=" + click + "&goal=lead&token=afn_pb_wrong", null, null).status()).isEqualTo(401);
        for (String query : List.of("amount=12x", "amount=-5", "amount=1.2.3,4,5", "currency=EURO", "currency=XQZ",
                "goal=" + "g".repeat(501), "status=maybe")) {
            Response r = t.postback("click_id=" + click + "&goal=lead&txn_id=B1&" + query);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.contentType()).as(query).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText()).as(query).isNotBlank();
        }
        assertThat(eventCount()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_txn WHERE transaction_id = 'B1' AND tenant_id = ?",
                Integer.class, t.tenantId)).isZero();
        JsonNode view = send("GET", "/api/v1/postback-settings", t.key, null).json();
        // Naming a tenant's click id with a bad token proves nothing about the sender: not counted on the click's tenant.
        assertThat(view.get("unauthorizedAttempts").asLong()).as("not counted on the click's tenant").isZero();
        assertThat(view.at("/tokens/0/prefix").asText()).startsWith("afn_pb_");
        assertThat(view.toString()).doesNotContain(t.token);
    }

    @Test
    void anAdvertisersIpAllowlistRefusesOtherSendersWith403() throws Exception {
        Traffic t = Traffic.tenant(this, "allow", false);
        String affiliate = t.affiliate("a@example.com", "[]");
        t.advertiserId = t.create("/api/v1/advertisers",
                "{\"name\":\"Strict\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}");
        String strictCode = t.link(affiliate, t.offer("null", 86400));
        t.advertiserId = t.create("/api/v1/advertisers",
                "{\"name\":\"Local\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"127.0.0.0/8\"]}");
        String localCode = t.link(affiliate, t.offer("null", 86400));

        String strict = t.clickId(strictCode);
        long before = eventCount();
        Response refused = t.postback("click_id=" + strict + "&goal=lead&txn_id=IP1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asText()).endsWith("/postback-ip-not-allowed");
        assertThat(eventCount()).isEqualTo(before);

        String local = t.clickId(localCode);
        assertThat(t.postback("click_id=" + local + "&goal=lead&txn_id=IP2").body()).isEqualTo("accepted");

        Response bad = send("POST", "/api/v1/advertisers", t.key,
                "{\"name\":\"Bad\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"10.0.0.0/33\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("postbackIpAllowlist");
    }

    @Test
    void postbacksRefusedInTheSameBatchAsOthersFailAloneAndWriteNothing() throws Exception {
        // Postbacks are group-committed: 20 at once share transactions. The refused ones (sender not on the
        // advertiser's allowlist) must answer 403 and leave nothing behind; the others must all be recorded.
        Traffic t = Traffic.tenant(this, "batch", false);
        String affiliate = t.affiliate("a@example.com", "[]");
        t.advertiserId = t.create("/api/v1/advertisers",
                "{\"name\":\"Strict\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"203.0.113.0/24\"]}");
        String strictCode = t.link(affiliate, t.offer("null", 86400));
        t.advertiserId = t.create("/api/v1/advertisers",
                "{\"name\":\"Local\",\"defaultCurrency\":\"EUR\",\"postbackIpAllowlist\":[\"127.0.0.0/8\"]}");
        String localCode = t.link(affiliate, t.offer("null", 86400));
        List<String> clicks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clicks.add(t.clickId(i % 2 == 0 ? strictCode : localCode));
        }
        long batchesBefore = batcher.batches();
        long handledBefore = batcher.handled();
        long fallbacksBefore = batcher.fallbacks();
        List<Response> answers = concurrently(20, i -> () -> t.postback("click_id=" + clicks.get(i) + "&goal=lead&txn_id=B" + i));
        assertThat(batcher.fallbacks() - fallbacksBefore).as("no batch was rolled back by a refusal").isZero();
        assertThat(batcher.handled() - handledBefore).as("every postback went through the batcher").isEqualTo(20);
        assertThat(batcher.batches() - batchesBefore).as("some batches held several postbacks").isLessThan(20);
        for (int i = 0; i < 20; i++) {
            Response answer = answers.get(i);
            if (i % 2 == 0) {
                assertThat(answer.status()).as("strict click %d", i).isEqualTo(403);
                assertThat(t.count(clicks.get(i), RECORDED)).isZero();
                assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_txn WHERE click_id = ?", Long.class,
                        clicks.get(i))).isZero();
            } else {
                assertThat(answer.body()).as("local click %d", i).isEqualTo("accepted");
                assertThat(t.count(clicks.get(i), RECORDED)).isEqualTo(1);
            }
        }
    }

    @Test
    void balancesShowPendingApprovedAndReversedCommissions() throws Exception {
        Traffic t = Traffic.tenant(this, "balance", false);
        String affiliate = t.affiliate("a@example.com", "[]");
        String code = t.link(affiliate, t.offer("null", 86400));
        assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=lead&txn_id=B1&status=pending").body()).isEqualTo("accepted");
        assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=lead&txn_id=B2").body()).isEqualTo("accepted");
        String reversed = t.clickId(code);
        assertThat(t.postback("click_id=" + reversed + "&goal=lead&txn_id=B3").body()).isEqualTo("accepted");
        assertThat(t.postback("click_id=" + reversed + "&goal=lead&txn_id=B3&status=refund").body()).isEqualTo("accepted");
        // Until the commissions projection has caught up the row is missing and the query throws.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            JsonNode eur = send("GET", "/api/v1/affiliates/" + affiliate + "/balance", t.key, null).json().at("/balances/0");
            assertThat(eur.path("currency").asText()).isEqualTo("EUR");
            assertThat(eur.at("/pending/amount").asText()).isEqualTo("2.00");
            assertThat(eur.at("/approved/amount").asText()).isEqualTo("2.00");
            assertThat(eur.at("/reversed/amount").asText()).isEqualTo("2.00");
        });
        Traffic other = Traffic.tenant(this, "balance-other", false);
        assertThat(send("GET", "/api/v1/affiliates/" + affiliate + "/balance", other.key, null).status()).isEqualTo(404);
    }

    @Test
    void thePixelFindsTheClickFromItsCookie() throws Exception {
        Traffic t = Traffic.tenant(this, "pixel", false);
        String offer = t.offer("null", 86400);
        String code = t.link(t.affiliate("a@example.com", "[]"), offer);
        String click = t.clickId(code);
        assertThat(send("PUT", "/api/v1/offers/" + offer + "/pixel", t.key,
                "{\"enabled\":true,\"maxAmount\":\"1000.00\"}").status()).isEqualTo(200);
        HttpResponse<byte[]> pixel = http.send(HttpRequest.newBuilder(URI.create(base + "/p?offer=" + offer
                        + "&goal=sale&amount=19.99&txn_id=PX1")).header("Cookie", "afn_cid=" + click).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pixel.statusCode()).isEqualTo(200);
        assertThat(pixel.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/gif");
        assertThat(pixel.headers().firstValue("X-Affnet-Outcome").orElse("")).isEqualTo("accepted");
        assertThat(t.lastEvent(click, RECORDED).get("channel").asText()).isEqualTo("pixel");

        HttpResponse<byte[]> wrongOffer = http.send(HttpRequest.newBuilder(URI.create(base + "/p?offer=off_other&goal=sale"))
                .header("Cookie", "afn_cid=" + click).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(wrongOffer.headers().firstValue("X-Affnet-Outcome").orElse("")).isEqualTo("rejected:unknown_click");
    }

    private static <T> List<T> concurrently(int n, Function<Integer, Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
