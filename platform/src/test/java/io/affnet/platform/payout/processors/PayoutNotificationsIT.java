package io.affnet.platform.payout.processors;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.api.payout.PayoutStateChangedEvent;
import io.affnet.platform.outbound.AffnetSignatureVerifier;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.PostbackReceiver;
import io.affnet.platform.support.ProcessorTokens;
import io.affnet.platform.support.Traffic;
import io.affnet.sagas.delivery.DeliveryEnqueuer;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payout state changes delivered as signed events through the outbound delivery (docs/payouts.md, Payout
 * notifications): a real run paid through the Stripe and PayPal fakes; every change reaches the tenant's
 * payout endpoint and the affiliate's payouts template exactly once, signed with each owner's secret; the
 * same events handled again, or replayed, deliver nothing more.
 */
@TestPropertySource(properties = {"affnet.payouts.processors.read-timeout=2s"})
class PayoutNotificationsIT extends PlatformIT {

    private static final Duration WAIT = Duration.ofMinutes(3);

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokenStore;
    @Autowired
    TransactionManager axonTransactions;
    @Autowired
    EventStore eventStore;

    private record Earner(String affiliate, String secret, String expectedFinal) {
    }

    @Test
    void everyStateChangeReachesTenantAndAffiliateOnceSignedAndNothingOnReplay() throws Exception {
        try (PostbackReceiver receiver = new PostbackReceiver();
             FakeStripe stripe = new FakeStripe(PayoutEvalIT.SK, Faults.none()).balance("eur", 1_000_000L);
             FakePayPal paypal = new FakePayPal("notify-client", "notify-secret", Faults.none())
                     .balance("EUR", new BigDecimal("10000.00")).settleAfter(Duration.ofSeconds(2))) {
            Traffic t = Traffic.tenant(this, "paynotify", false);
            assertThat(send("PUT", "/api/v1/payout-terms", t.key,
                    "{\"defaultHold\":\"PT2S\",\"minimum\":{\"EUR\":\"1.00\"},\"negativeBalanceBlocks\":true}").status()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/stripe", t.key, "{\"apiBase\":\"" + stripe.baseUrl() + "\",\"key\":\""
                    + PayoutEvalIT.SK + "\",\"webhookSecret\":\"" + PayoutEvalIT.WHSEC + "\"}").status()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/paypal", t.key, "{\"apiBase\":\"" + paypal.baseUrl()
                    + "\",\"key\":\"notify-client\",\"secret\":\"notify-secret\",\"webhookId\":\"" + PayoutEvalIT.HOOK_ID + "\"}").status())
                    .isEqualTo(200);

            Response none = send("GET", "/api/v1/payout-webhook", t.key, null);
            assertThat(none.status()).as(none.body()).isEqualTo(404);
            assertThat(none.contentType()).contains("application/problem+json");
            Response bad = send("PUT", "/api/v1/payout-webhook", t.key, "{\"url\":\"" + receiver.base() + "/t?p={payout}\"}");
            assertThat(bad.status()).as(bad.body()).isEqualTo(400);
            assertThat(bad.contentType()).contains("application/problem+json");
            Response tenantHook = send("PUT", "/api/v1/payout-webhook", t.key, "{\"url\":\"" + receiver.base() + "/tenant\"}");
            assertThat(tenantHook.status()).as(tenantHook.body()).isEqualTo(201);
            String tenantSecret = tenantHook.json().get("secret").asText();
            Response again = send("PUT", "/api/v1/payout-webhook", t.key, "{\"url\":\"" + receiver.base() + "/tenant\"}");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("secret").isTextual()).as("the secret is shown once").isFalse();
            Response read = send("GET", "/api/v1/payout-webhook", t.key, null);
            assertThat(read.status()).as(read.body()).isEqualTo(200);
            assertThat(read.json().get("url").asText()).isEqualTo(receiver.base() + "/tenant");
            assertThat(read.json().get("secretPrefix").asText()).isEqualTo(tenantSecret.substring(0, 10));
            assertThat(read.json().get("paused").asBoolean()).isFalse();
            assertThat(read.json().has("secret")).isFalse();
            assertThat(read.body()).doesNotContain(tenantSecret);
            String analystKey = key(t, "{\"role\":\"TENANT_ANALYST\"}");
            assertThat(send("GET", "/api/v1/payout-webhook", analystKey, null).status()).as("tenant admin only, like the PUT")
                    .isEqualTo(403);
            Response asAffiliate = send("GET", "/api/v1/affiliates/tenant:" + t.tenantId + "/postback", t.key, null);
            assertThat(asAffiliate.status()).as("the tenant's endpoint is not an affiliate's").isIn(400, 404);
            assertThat(asAffiliate.contentType()).contains("application/problem+json");

            String offer = t.offer("null", 86400);
            List<Earner> earners = new ArrayList<>();
            // Stripe, paid at once; PayPal, sent then paid when the item settles; Stripe to an unknown account, failed.
            String[][] plans = {{"STRIPE", "acct_notify1", "PAID"}, {"PAYPAL", "notify2@example.com", "PAID"},
                    {"STRIPE", "acct_notifyunknown", "FAILED"}};
            for (int i = 0; i < plans.length; i++) {
                String affiliate = t.affiliate("notify" + i + "@example.com", "[]");
                String code = t.link(affiliate, offer);
                assertThat(t.postback("click_id=" + t.clickId(code) + "&goal=lead&txn_id=N" + i).body()).isEqualTo("accepted");
                if (i == 0) {
                    stripe.connectedAccount(plans[i][1]);
                }
                Response badTemplate = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                        "{\"templates\":[{\"topic\":\"payouts\",\"offerId\":\"" + offer + "\",\"url\":\"" + receiver.base() + "/a\"}]}");
                assertThat(badTemplate.status()).as(badTemplate.body()).isEqualTo(400);
                Response endpoint = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                        "{\"templates\":[{\"topic\":\"payouts\",\"url\":\"" + receiver.base() + "/aff/" + affiliate + "\"}]}");
                assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
                Response added = send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods", t.key,
                        "{\"processor\":\"" + plans[i][0] + "\",\"destination\":\"" + plans[i][1] + "\",\"currency\":\"EUR\",\"country\":\"DE\"}");
                assertThat(added.status()).as(added.body()).isEqualTo(202);
                String methodId = added.json().get("methodId").asText();
                await().atMost(WAIT).until(() -> send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods/" + methodId
                        + "/confirm", t.key, null).status() == 200);
                earners.add(new Earner(affiliate, endpoint.json().get("secret").asText(), plans[i][2]));
            }
            for (Earner e : earners) {
                await().atMost(WAIT).until(() -> {
                    Response r = send("GET", "/api/v1/affiliates/" + e.affiliate() + "/ledger/balances", t.key, null);
                    return r.status() == 200 && r.json().at("/balances/0/availableMinor").asLong() > 0
                            && r.json().at("/balances/0/pendingMinor").asLong() == 0;
                });
            }
            TrackingToken beforeRun = eventStore.createHeadToken();
            Response preview = send("POST", "/api/v1/payout-runs", t.key, "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
            assertThat(preview.status()).as(preview.body()).isEqualTo(201);
            String runId = preview.json().get("runId").asText();
            await().atMost(WAIT).until(() -> send("POST", "/api/v1/payout-runs/" + runId + "/approve", t.key, null).status() == 200);
            await().atMost(WAIT).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM payout WHERE tenant_id = ? AND state IN ('PAID','FAILED')", Integer.class, t.tenantId) == 3);

            // What the ledger recorded: one PayoutStateChangedEvent per change (Stripe: PAID and FAILED; PayPal: SENT, PAID).
            List<String> changes = stateChanges(t.tenantId, beforeRun);
            assertThat(changes).contains("PAID", "FAILED", "SENT");
            int expectedChanges = changes.size();
            await().atMost(WAIT).until(() -> receiver.effective.size() == 2 * expectedChanges);
            Thread.sleep(1500);
            assertThat(receiver.effective).hasSize(2 * expectedChanges);

            List<PostbackReceiver.Received> toTenant = receiver.effective.stream().filter(r -> r.url().endsWith("/tenant")).toList();
            assertThat(toTenant).hasSize(expectedChanges);
            for (PostbackReceiver.Received r : receiver.requests) {
                String secret = r.url().endsWith("/tenant") ? tenantSecret : earners.stream()
                        .filter(e -> r.url().endsWith("/aff/" + e.affiliate())).findFirst().orElseThrow().secret();
                assertThat(AffnetSignatureVerifier.verify(secret, r.header("Affnet-Signature"), r.method(), r.url(), r.body(), 300))
                        .as("signed with the owner's secret: " + r.url()).isTrue();
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.header("Affnet-Event")).isEqualTo(JSON.readTree(r.body()).get("event").asText());
            }
            for (Earner e : earners) {
                List<JsonNode> mine = new ArrayList<>();
                for (PostbackReceiver.Received r : receiver.effective) {
                    if (r.url().endsWith("/aff/" + e.affiliate())) {
                        mine.add(JSON.readTree(r.body()));
                    }
                }
                assertThat(mine).as("the affiliate sees only its own payouts").allMatch(n -> n.get("affiliateId").asText().equals(e.affiliate()));
                assertThat(mine).as("every notice, payout.sent's too, says what moves, from the event itself")
                        .allSatisfy(n -> assertThat(n.get("amount").asText() + " " + n.get("currency").asText()).isEqualTo("2.00 EUR"));
                List<String> events = mine.stream().map(n -> n.get("event").asText()).sorted().toList();
                if (e.expectedFinal().equals("FAILED")) {
                    assertThat(events).containsExactly("payout.failed");
                } else {
                    assertThat(events).contains("payout.paid").doesNotHaveDuplicates();
                }
                JsonNode last = mine.stream().filter(n -> n.get("state").asText().equals(e.expectedFinal())).findFirst().orElseThrow();
                assertThat(last.get("amount").asText()).isEqualTo("2.00");
                assertThat(last.get("currency").asText()).isEqualTo("EUR");
                assertThat(last.get("runId").asText()).isEqualTo(runId);
            }
            Map<String, Long> byEvent = toTenant.stream().map(r -> r.header("Affnet-Event"))
                    .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            assertThat(byEvent).containsEntry("payout.paid", 2L).containsEntry("payout.failed", 1L);
            assertThat(byEvent.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expectedChanges);
            int rows = jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ? AND trigger LIKE 'payout.%'",
                    Integer.class, t.tenantId);
            assertThat(rows).isEqualTo(2 * expectedChanges);

            readsThroughGraphQl(t, runId, earners);

            // The same events handled again (a crash before the token was stored): nothing new is enqueued or sent.
            ProcessorTokens.restartFrom(processing, tokenStore, eventStore, axonTransactions, DeliveryEnqueuer.GROUP,
                    current -> beforeRun, Duration.ofSeconds(60));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?", Integer.class, t.tenantId))
                    .isEqualTo(2 * expectedChanges);
            // A replay started from outside (replay tokens): the handlers are @DisallowReplay.
            jdbc.update("DELETE FROM outbound_attempt WHERE tenant_id = ?", t.tenantId);
            jdbc.update("DELETE FROM outbound_delivery WHERE tenant_id = ?", t.tenantId);
            ProcessorTokens.restartFrom(processing, tokenStore, eventStore, axonTransactions, DeliveryEnqueuer.GROUP,
                    current -> ReplayToken.createReplayToken(current, beforeRun), Duration.ofSeconds(60));
            Thread.sleep(1500);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ?", Integer.class, t.tenantId))
                    .isZero();
            assertThat(receiver.requests).as("nothing sent again").hasSize(2 * expectedChanges);
        }
    }

    @Test
    void minimumsAreDecimalMoneyPerCurrencyAndAnythingElseIsAProblemThatChangesNothing() {
        Traffic t = Traffic.tenant(this, "payminimum", false);
        Response ok = send("PUT", "/api/v1/payout-terms", t.key, "{\"minimum\":{\"EUR\":\"25.00\",\"JPY\":\"3000\",\"KWD\":\"1.250\"}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> jdbc.queryForObject("SELECT count(*) FROM payout_terms WHERE tenant_id = ?",
                Integer.class, t.tenantId) == 1);
        String stored = jdbc.queryForObject("SELECT minimums FROM payout_terms WHERE tenant_id = ?", String.class, t.tenantId);
        assertThat(stored).contains("\"EUR\":2500").contains("\"JPY\":3000")
                .contains("\"KWD\":1250");
        Map<String, String> bad = Map.of(
                "{\"minimum\":{\"EUR\":2500}}", "minimum.EUR",
                "{\"minimum\":{\"EUR\":\"25.001\"}}", "more decimals",
                "{\"minimum\":{\"JPY\":\"30.5\"}}", "more decimals",
                "{\"minimum\":{\"EUR\":\"-1.00\"}}", "negative",
                "{\"minimum\":{\"EUR\":\"1e3\"}}", "not a decimal",
                "{\"minimum\":{\"eur\":\"25.00\"}}", "ISO-4217",
                "{\"minimum\":{\"EUR\":null}}", "minimum.EUR",
                "{\"minimumMinor\":{\"EUR\":2500}}", "minimumMinor");
        bad.forEach((body, says) -> {
            Response r = send("PUT", "/api/v1/payout-terms", t.key, body);
            assertThat(r.status()).as(body + " → " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).contains("application/problem+json");
            assertThat(r.body()).as(body).contains(says);
        });
        assertThat(jdbc.queryForObject("SELECT minimums FROM payout_terms WHERE tenant_id = ?", String.class, t.tenantId))
                .as("nothing changed").isEqualTo(stored);
    }

    private String key(Traffic t, String json) {
        Response r = send("POST", "/api/v1/keys", t.key, json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }

    private JsonNode graphQl(String key, String query) {
        Response r = send("POST", "/graphql", key, JSON.createObjectNode().put("query", query).toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** The run's money through GraphQL: staff and auditors read all; an affiliate only its own, never the network's accounts; an advertiser nothing. */
    private void readsThroughGraphQl(Traffic t, String runId, List<Earner> earners) {
        String paid = earners.get(0).affiliate();
        String other = earners.get(1).affiliate();
        String affiliateKey = key(t, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + paid + "\"}");
        String auditorKey = key(t, "{\"role\":\"AUDITOR\"}");
        String advertiserKey = key(t, "{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + t.advertiserId + "\"}");

        // The ledger view is its own processor: the payout states seen above say nothing about how far it has read.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode seen = graphQl(t.key, "{ ledgerBalances(affiliateId: \"" + paid + "\") { balances { paid { amount } } } "
                    + "ledgerEntries(affiliateId: \"" + paid + "\", first: 500) { entries { kind } } }");
            assertThat(seen.at("/data/ledgerBalances/balances/0/paid/amount").asText()).isEqualTo("2.00");
            assertThat(seen.at("/data/ledgerEntries/entries").findValuesAsText("kind")).contains("PAYOUT_PAID");
        });
        JsonNode run = graphQl(auditorKey, "{ payoutRun(id: \"" + runId + "\") { run { runId status } items { payoutId affiliateId "
                + "amount { amount currency } paid { amount currency } state } progress { state payouts paid { amount currency } } } }");
        assertThat(run.path("errors").isMissingNode()).as(run.toString()).isTrue();
        assertThat(run.at("/data/payoutRun/items")).hasSize(3);
        assertThat(run.at("/data/payoutRun/items/0/amount/amount").asText()).isEqualTo("2.00");
        Map<String, Integer> progress = new java.util.TreeMap<>();
        run.at("/data/payoutRun/progress").forEach(p -> progress.put(p.get("state").asText(), p.get("payouts").asInt()));
        assertThat(progress).containsEntry("PAID", 2).containsEntry("FAILED", 1);

        JsonNode ledger = graphQl(t.key, "{ tenantLedgerBalances { currencies { currency accounts { account balance { amount currency } } } } }");
        assertThat(ledger.at("/data/tenantLedgerBalances/currencies/0/accounts").findValuesAsText("account"))
                .contains("NETWORK_MARGIN", "ADVERTISER_RECEIVABLE", "AFFILIATE_PAID");

        String own = "{ ledgerBalances(affiliateId: \"" + paid + "\") { balances { currency available { amount } paid { amount currency } "
                + "accounts { account } } } ledgerEntries(affiliateId: \"" + paid + "\", first: 1) { entries { entryId kind lines { account amount { amount } } } next } "
                + "payouts(affiliateId: \"" + paid + "\") { payoutId state processor paid { amount currency } destination } "
                + "payoutMethods(affiliateId: \"" + paid + "\") { processor destination status isDefault } "
                + "statement(affiliateId: \"" + paid + "\", from: \"2026-01-01\", to: \"" + LocalDate.now().plusDays(1) + "\") { currencies { currency paidOut { amount } closing { amount } } items { category amount { amount } } } }";
        JsonNode mine = graphQl(affiliateKey, own);
        assertThat(mine.path("errors").isMissingNode()).as(mine.toString()).isTrue();
        assertThat(mine.at("/data/ledgerBalances/balances/0/paid/amount").asText()).isEqualTo("2.00");
        assertThat(mine.at("/data/ledgerBalances/balances/0/available/amount").asText()).isEqualTo("0.00");
        assertThat(mine.at("/data/payouts/0/state").asText()).isEqualTo("PAID");
        assertThat(mine.at("/data/payouts/0/destination").asText()).startsWith("****");
        assertThat(mine.at("/data/payoutMethods/0/isDefault").asBoolean()).isTrue();
        assertThat(mine.at("/data/statement/currencies/0/paidOut/amount").asText()).isEqualTo("-2.00");
        assertThat(mine.at("/data/ledgerEntries/entries")).hasSize(1);
        assertThat(mine.at("/data/ledgerEntries/entries/0/kind").asText()).isEqualTo("EARNING");
        assertThat(mine.at("/data/ledgerEntries/entries/0/lines").findValuesAsText("account"))
                .as("an affiliate never sees the receivable or the margin").containsExactly("AFFILIATE_PENDING");
        String cursor = mine.at("/data/ledgerEntries/next").asText();
        JsonNode page2 = graphQl(affiliateKey, "{ ledgerEntries(affiliateId: \"" + paid + "\", first: 500, after: \"" + cursor + "\") { entries { kind } next } }");
        assertThat(page2.at("/data/ledgerEntries/entries").findValuesAsText("kind")).contains("HOLD_RELEASE", "PAYOUT_RESERVED", "PAYOUT_PAID")
                .doesNotContain("EARNING");
        assertThat(page2.at("/data/ledgerEntries/next").isNull()).isTrue();
        JsonNode staffEntries = graphQl(auditorKey, "{ ledgerEntries(affiliateId: \"" + paid + "\", first: 1) { entries { lines { account } } } }");
        assertThat(staffEntries.at("/data/ledgerEntries/entries/0/lines").findValuesAsText("account"))
                .contains("NETWORK_MARGIN", "ADVERTISER_RECEIVABLE");

        JsonNode sibling = graphQl(affiliateKey, "{ payouts(affiliateId: \"" + other + "\") { payoutId } }");
        assertThat(sibling.at("/errors/0/extensions/classification").asText()).isEqualTo("NOT_FOUND");
        JsonNode runs = graphQl(affiliateKey, "{ payoutRuns { runId } }");
        assertThat(runs.at("/errors/0/extensions/classification").asText()).isEqualTo("FORBIDDEN");
        JsonNode advertiser = graphQl(advertiserKey, "{ ledgerBalances(affiliateId: \"" + paid + "\") { affiliateId } }");
        assertThat(advertiser.at("/errors/0/extensions/classification").asText()).isEqualTo("FORBIDDEN");
        JsonNode badCursor = graphQl(t.key, "{ ledgerEntries(affiliateId: \"" + paid + "\", after: \"nope\") { next } }");
        assertThat(badCursor.at("/errors/0/extensions/classification").asText()).isEqualTo("BAD_REQUEST");
        JsonNode badFirst = graphQl(t.key, "{ ledgerEntries(affiliateId: \"" + paid + "\", first: 0) { next } }");
        assertThat(badFirst.at("/errors/0/extensions/classification").asText()).isEqualTo("BAD_REQUEST");
    }

    /** The target states of the tenant's PayoutStateChangedEvents after {@code from}, read from the event store. */
    private List<String> stateChanges(String tenantId, TrackingToken from) {
        List<String> states = new ArrayList<>();
        try (var stream = eventStore.openStream(from)) {
            while (stream.hasNextAvailable()) {
                if (stream.nextAvailable().getPayload() instanceof PayoutStateChangedEvent e && e.tenantId().value().equals(tenantId)) {
                    states.add(e.to().name());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return states;
    }
}
