package io.affnet.platform.payout;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.payout.PayoutRunItem;
import io.affnet.api.payout.ReservePayoutCommand;
import io.affnet.platform.support.PlatformIT;
import org.axonframework.commandhandling.gateway.CommandGateway;
import io.affnet.platform.support.Traffic;
import io.affnet.sagas.payout.processor.PayoutNotifications;
import io.affnet.sagas.payout.processor.ProcessorAccount;
import io.affnet.sagas.payout.processor.ProcessorAccounts;
import io.affnet.sagas.payout.processor.ProcessorName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The money path end to end on the real stores: approved conversions post earnings held for the
 * tenant's hold period (a durable deadline), a confirmed payout method, a run previewed and approved,
 * one saga per payout paying through the processor port, the ledger and the run's progress.
 */
@Import(PayoutFlowIT.Processors.class)
class PayoutFlowIT extends PlatformIT {

    @TestConfiguration
    static class Processors {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        InMemoryProcessor inMemoryProcessor() {
            return new InMemoryProcessor();
        }

        @Bean
        @Primary
        ProcessorAccounts everyTenantHasAStripeAccount() {
            return (tenant, processor) -> processor == ProcessorName.STRIPE
                    ? Optional.of(new ProcessorAccount(processor, "http://127.0.0.1:1", "sk_test_it", "")) : Optional.empty();
        }
    }

    @Autowired
    InMemoryProcessor processor;

    @Autowired
    PayoutNotifications notifications;

    @Autowired
    CommandGateway commands;


    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A tenant with a 2-second hold, an affiliate with {@code leads} approved leads (200 minor EUR each). */
    private record Earner(Traffic t, String affiliate, String code) {
    }

    private Earner earner(String stem, int leads, String destination) throws Exception {
        Traffic t = Traffic.tenant(this, stem, false);
        Response terms = send("PUT", "/api/v1/payout-terms", t.key,
                "{\"defaultHold\":\"PT2S\",\"minimum\":{\"EUR\":\"1.00\"},\"negativeBalanceBlocks\":true}");
        assertThat(terms.status()).as(terms.body()).isEqualTo(200);
        // In force once answered (the ledger intake holds the next earning per these terms): no wait.
        assertThat(jdbc.queryForObject("SELECT default_hold_millis FROM payout_terms WHERE tenant_id = ?", Long.class, t.tenantId))
                .isEqualTo(2000L);
        String affiliate = t.affiliate(stem + "@example.com", "[]");
        String code = t.link(affiliate, t.offer("null", 86400));
        for (int i = 0; i < leads; i++) {
            String click = t.clickId(code);
            assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=L" + i).body()).isEqualTo("accepted");
        }
        Response added = send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods", t.key,
                "{\"processor\":\"STRIPE\",\"destination\":\"" + destination + "\",\"currency\":\"EUR\",\"country\":\"DE\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(202);
        String methodId = added.json().get("methodId").asText();
        // Written with its event (PayoutSettingsView): confirmable at once, and confirmed for the next preview once answered.
        Response confirmed = send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods/" + methodId + "/confirm", t.key, null);
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT status FROM payout_method WHERE tenant_id = ? AND method_id = ?", String.class,
                t.tenantId, methodId)).isEqualTo("CONFIRMED");
        return new Earner(t, affiliate, code);
    }

    private JsonNode balances(Earner e) {
        Response r = send("GET", "/api/v1/affiliates/" + e.affiliate() + "/ledger/balances", e.t().key, null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/balances/0");
    }

    private String approvedRun(Earner e) {
        await().atMost(WAIT).until(() -> balances(e).path("availableMinor").asLong() > 0
                && balances(e).path("pendingMinor").asLong() == 0);
        Response preview = send("POST", "/api/v1/payout-runs", e.t().key,
                "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(201);
        String runId = preview.json().get("runId").asText();
        await().atMost(WAIT).until(() -> send("POST", "/api/v1/payout-runs/" + runId + "/approve", e.t().key, null).status() == 200);
        return runId;
    }

    @Test
    void earningsHeldThenPaidOnceThroughARunAndItsSaga() throws Exception {
        Earner e = earner("payflow", 3, "acct_1PayFlow");
        // The ledger view is written by its processors after the postbacks' commit: all three earnings, held or
        // already available, once it has caught up (CI under load: one of three seen at the first read).
        await().atMost(WAIT).until(() -> balances(e).path("pendingMinor").asLong()
                + balances(e).path("availableMinor").asLong() == 600);
        JsonNode held = balances(e);
        assertThat(held.get("currency").asText()).isEqualTo("EUR");
        assertThat(held.get("pendingMinor").asLong() + held.get("availableMinor").asLong()).isEqualTo(600);

        Response preview = null;
        await().atMost(WAIT).until(() -> balances(e).path("availableMinor").asLong() == 600);
        preview = send("POST", "/api/v1/payout-runs", e.t().key, "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now() + "\"}");
        assertThat(preview.status()).as(preview.body()).isEqualTo(201);
        JsonNode items = preview.json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).at("/amount/minor").asLong()).isEqualTo(600);
        assertThat(items.get(0).get("processor").asText()).isEqualTo("STRIPE");
        String runId = preview.json().get("runId").asText();

        Response affiliateApproves = send("POST", "/api/v1/payout-runs/" + runId + "/approve", affiliateKey(e), null);
        assertThat(affiliateApproves.status()).isEqualTo(403);
        await().atMost(WAIT).until(() -> send("POST", "/api/v1/payout-runs/" + runId + "/approve", e.t().key, null).status() == 200);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode run = send("GET", "/api/v1/payout-runs/" + runId, e.t().key, null).json();
            assertThat(run.at("/progress/0/state").asText()).isEqualTo("PAID");
            assertThat(run.at("/progress/0/payouts").asLong()).isEqualTo(1);
            assertThat(run.at("/progress/0/paidMinorByCurrency/EUR").asLong()).isEqualTo(600);
        });
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode b = balances(e);
            assertThat(b.get("availableMinor").asLong()).isZero();
            assertThat(b.get("inPayoutMinor").asLong()).as("clearing back to zero (I6)").isZero();
            assertThat(b.get("paidMinor").asLong()).isEqualTo(600);
        });
        assertThat(processor.transfers.values().stream().filter(p -> p.destination().equals("acct_1PayFlow")).count())
                .isEqualTo(1);

        // A chargeback after payment leaves a negative available balance; the next earnings absorb it.
        String click = e.t().clickId(e.code());
        assertThat(e.t().postback("click_id=" + click + "&goal=lead&txn_id=LX&status=2").body()).isEqualTo("accepted");
        assertThat(e.t().postback("click_id=" + click + "&goal=lead&txn_id=LX&status=approved").body()).isEqualTo("accepted");
        assertThat(e.t().postback("click_id=" + click + "&goal=lead&txn_id=LX&status=chargeback").body()).isEqualTo("accepted");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode b = balances(e);
            assertThat(b.get("availableMinor").asLong() + b.get("pendingMinor").asLong()).isZero();
        });
    }

    @Test
    void anAmbiguousSubmitIsReconciledAndPaysExactlyOnce() throws Exception {
        Earner e = earner("payamb", 2, "acct_ambiguous1");
        String runId = approvedRun(e);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                send("GET", "/api/v1/payout-runs/" + runId, e.t().key, null).json().at("/progress/0/state").asText())
                .isEqualTo("PAID"));
        assertThat(processor.transfers.values().stream().filter(p -> p.destination().equals("acct_ambiguous1")).count())
                .as("one effective transfer although the first answer was lost (I4)").isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(balances(e).get("paidMinor").asLong()).isEqualTo(400));
    }

    @Test
    void aRejectedPayoutFailsAndTheMoneyReturnsToAvailable() throws Exception {
        Earner e = earner("payrej", 2, "acct_reject1");
        String runId = approvedRun(e);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                send("GET", "/api/v1/payout-runs/" + runId, e.t().key, null).json().at("/progress/0/state").asText())
                .isEqualTo("FAILED"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode b = balances(e);
            assertThat(b.get("availableMinor").asLong()).isEqualTo(400);
            assertThat(b.get("inPayoutMinor").asLong()).isZero();
        });
    }

    @Test
    void aReversalReportedByWebhookPostsACompensatingEntry() throws Exception {
        Earner e = earner("payrev", 2, "acct_1Reversed");
        String runId = approvedRun(e);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                send("GET", "/api/v1/payout-runs/" + runId, e.t().key, null).json().at("/progress/0/state").asText())
                .isEqualTo("PAID"));
        String reference = await().atMost(WAIT).until(() -> jdbc.queryForList(
                "SELECT reference FROM payout WHERE tenant_id = ? AND reference IS NOT NULL", String.class, e.t().tenantId),
                l -> !l.isEmpty()).get(0);
        processor.reverse(reference);
        notifications.processorReported(e.t().tenantId, ProcessorName.STRIPE, "evt_1", reference, null);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode b = balances(e);
            assertThat(b.get("paidMinor").asLong()).isZero();
            assertThat(b.get("availableMinor").asLong()).isEqualTo(400);
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_line WHERE tenant_id = ? AND kind = 'PAYOUT_REVERSED'",
                Integer.class, e.t().tenantId)).as("compensating entry, nothing edited").isEqualTo(2);
    }

    @Test
    void concurrentConversionsOfTwoAffiliatesAllReachTheirLedgers() throws Exception {
        // Conversions of two affiliates on many clicks, sent together: the ledger intake's segments (per
        // click, before) took both ledgers' locks in opposite orders and lost earnings to deadlocks.
        Traffic t = Traffic.tenant(this, "payconc", false);
        String offer = t.offer("null", 86400);
        List<String> affiliates = List.of(t.affiliate("payconc-a@example.com", "[]"), t.affiliate("payconc-b@example.com", "[]"));
        List<String> clicks = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (String affiliate : affiliates) {
                clicks.add(t.clickId(t.link(affiliate, offer)));
            }
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < clicks.size(); i++) {
                String query = "click_id=" + clicks.get(i) + "&goal=lead&txn_id=CC" + i;
                sent.add(pool.submit(() -> t.postback(query).body()));
            }
            for (java.util.concurrent.Future<String> f : sent) {
                assertThat(f.get()).isEqualTo("accepted");
            }
        } finally {
            pool.shutdown();
        }
        for (String affiliate : affiliates) {
            await().atMost(WAIT).untilAsserted(() -> {
                Response r = send("GET", "/api/v1/affiliates/" + affiliate + "/ledger/balances", t.key, null);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode b = r.json().at("/balances/0");
                assertThat(b.path("pendingMinor").asLong() + b.path("availableMinor").asLong())
                        .as("20 leads of 200 minor each, every one posted").isEqualTo(4000);
            });
        }
    }

    @Test
    void aMethodTheProcessorRefusesIsRefusedWhenAdded() {
        Traffic t = Traffic.tenant(this, "payref", false);
        String affiliate = t.affiliate("payref@example.com", "[]");
        Response refused = send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods", t.key,
                "{\"processor\":\"STRIPE\",\"destination\":\"acct_1Yen\",\"currency\":\"JPY\",\"country\":\"JP\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).contains("application/problem+json");
        assertThat(refused.body()).contains("cannot pay JPY");
        Response badDestination = send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods", t.key,
                "{\"processor\":\"STRIPE\",\"destination\":\"someone@example.com\",\"currency\":\"EUR\",\"country\":\"DE\"}");
        assertThat(badDestination.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payout_method WHERE tenant_id = ?", Integer.class, t.tenantId))
                .isZero();
    }

    @Test
    void concurrentReservationsNeverOverdrawTheAvailableBalance() throws Exception {
        String stem = java.util.UUID.randomUUID().toString().substring(0, 8);
        TenantId tenant = TenantId.of("t_concurrent_" + stem);
        String ledger = AffiliateLedgerId.of(tenant, "aff_c");
        commands.sendAndWait(new PostEarningCommand(ledger, tenant, "aff_c", "cv_c", "off_c", new Money(1000, "EUR"),
                new Money(1000, "EUR"), Duration.ZERO, Instant.now()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Money amount = new Money(300, "EUR");
                // Payout ids are unique across tenants (the payout view is keyed by them), so each run of the test has its own.
                PayoutRunItem item = new PayoutRunItem("po_c" + stem + "_" + i, "aff_c", "STRIPE", "pm_c", "acct_1Concurrent", "", amount, amount, null);
                sent.add(pool.submit(() -> commands.sendAndWait(new ReservePayoutCommand(ledger, tenant, "run_c" + stem, item, true,
                        Instant.now()))));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM payout WHERE tenant_id = ?", Integer.class, tenant.value())).isEqualTo(10));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payout WHERE tenant_id = ? AND state <> 'REFUSED'",
                Integer.class, tenant.value())).as("three payouts of 300 fit in 1000").isEqualTo(3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT min(running) FROM (SELECT sum(amount_minor) OVER (ORDER BY posted_at, entry_id, line_no) AS running"
                        + " FROM ledger_line WHERE tenant_id = ? AND account = 'AFFILIATE_AVAILABLE'"
                        + " AND kind IN ('HOLD_RELEASE', 'PAYOUT_RESERVED')) r", Long.class, tenant.value()))
                .as("available never below zero (I3)").isGreaterThanOrEqualTo(0L));
    }

    private String affiliateKey(Earner e) {
        Response r = send("POST", "/api/v1/keys", e.t().key, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + e.affiliate() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }
}
