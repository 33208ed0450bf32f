package io.affnet.platform.bench;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.payout.AddPayoutMethodCommand;
import io.affnet.api.payout.ConfirmPayoutMethodCommand;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutProfileId;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./affnet bench payouts [--affiliates N]}: not a test (no *Test/*IT name, so the suite skips it).
 * One tenant with {@code bench.affiliates} affiliates (default 10,000), half paid through Stripe Connect and
 * half through PayPal, in three currencies (EUR, USD, GBP, one per affiliate), connected to the local fakes
 * (no faults; PayPal items settle at once). Set-up, not measured: the earnings and the confirmed default
 * methods are sent as commands (the REST calls would dominate the run), then a run is previewed through the
 * API. Measured: from the approval ({@code POST /api/v1/payout-runs/{id}/approve}) until every payout is
 * PAID in the ledger's payout view: run seconds, payouts per second, the p99 of each saga (reservation
 * entry → paid entry, both posted by the ledger), and the CPU time of this JVM (platform and fakes) per
 * payout from {@code /proc/self/stat} (PostgreSQL's CPU is not included: it is shared with other work).
 * Last line: {@code affiliates= run_seconds= payouts_per_s= p99_saga_ms= cpu_us_per_payout=}.
 */
@TestPropertySource(properties = {"logging.level.root=WARN"})
class PayoutBench extends PlatformIT {

    static final String SK = "sk_test_bench_0123456789";
    static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");
    static final Path RESULT = Path.of("target", "bench-payouts.txt");

    @Autowired
    CommandGateway commands;

    @Test
    void payARun() throws Exception {
        // Surefire's second execution (payout-flow) runs a -Dtest selection again: measure once per build.
        Assumptions.assumeFalse(Files.exists(RESULT), "measured already in this build (" + RESULT + ")");
        int n = Integer.getInteger("bench.affiliates", 10_000);
        long wait = Long.getLong("bench.wait-seconds", 1800);
        try (FakeStripe stripe = new FakeStripe(SK, Faults.none());
             FakePayPal paypal = new FakePayPal("bench-client", "bench-secret", Faults.none())) {
            for (String c : CURRENCIES) {
                stripe.balance(c.toLowerCase(), 1_000_000_000_000L);
                paypal.balance(c, new BigDecimal("1000000000.00"));
            }
            Traffic t = Traffic.tenant(this, "paybench", false);
            TenantId tenant = TenantId.of(t.tenantId);
            assertThat(send("PUT", "/api/v1/payout-terms", t.key, "{\"defaultHold\":\"PT0S\",\"minimum\":{\"EUR\":\"1.00\","
                    + "\"USD\":\"1.00\",\"GBP\":\"1.00\"},\"negativeBalanceBlocks\":true}").status()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/stripe", t.key, "{\"apiBase\":\"" + stripe.baseUrl() + "\",\"key\":\"" + SK
                    + "\",\"webhookSecret\":\"whsec_bench_0123456789\"}").status()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/paypal", t.key, "{\"apiBase\":\"" + paypal.baseUrl()
                    + "\",\"key\":\"bench-client\",\"secret\":\"bench-secret\",\"webhookId\":\"BENCHHOOK0123\"}").status()).isEqualTo(200);

            long setupStart = System.nanoTime();
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            Instant at = Instant.now().minusSeconds(60);
            for (int i = 0; i < n; i++) {
                String affiliate = "aff_bench" + i;
                String currency = CURRENCIES.get(i % 3);
                boolean viaStripe = i % 2 == 0;
                String destination = viaStripe ? "acct_bench" + i : "payee" + i + "@example.com";
                if (viaStripe) {
                    stripe.connectedAccount(destination);
                }
                String profile = PayoutProfileId.of(tenant, affiliate);
                String methodId = "pm_bench" + i;
                long minor = 1000 + i % 500;
                inFlight.acquire();
                sent.add(commands.send(new PostEarningCommand(AffiliateLedgerId.of(tenant, affiliate), tenant, affiliate,
                                "cv_bench" + i, "off_bench", new Money(minor * 2, currency), new Money(minor, currency), Duration.ZERO, at))
                        .thenCompose(x -> commands.send(new AddPayoutMethodCommand(profile, tenant, affiliate,
                                new PayoutMethod(methodId, viaStripe ? "STRIPE" : "PAYPAL", destination, viaStripe ? "" : "EMAIL",
                                        currency, "DE"), true, "bench", at)))
                        .thenCompose(x -> commands.send(new ConfirmPayoutMethodCommand(profile, tenant, methodId, "bench", at)))
                        .whenComplete((x, e) -> inFlight.release()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            await().atMost(Duration.ofSeconds(wait)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default AND status = 'CONFIRMED'",
                            Integer.class, t.tenantId) == n
                            && jdbc.queryForObject("SELECT count(DISTINCT affiliate_id) FROM ledger_line WHERE tenant_id = ? "
                            + "AND account = 'AFFILIATE_AVAILABLE'", Integer.class, t.tenantId) == n);
            Response preview = send("POST", "/api/v1/payout-runs", t.key, "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
            assertThat(preview.status()).as(preview.body()).isEqualTo(201);
            assertThat(preview.json().get("items")).hasSize(n);
            String runId = preview.json().get("runId").asText();
            // The approval reads the run's view (PayoutProjection), which a 10,000-item preview reaches seconds later:
            // until then it answers 404. Set-up, not measured.
            await().atMost(Duration.ofSeconds(wait)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM payout_run_item WHERE run_id = ?", Integer.class, runId) == n);
            System.out.printf("bench payouts: set-up of %d affiliates took %.1f s%n", n, (System.nanoTime() - setupStart) / 1e9);

            long cpuBefore = cpuMicros();
            Instant approvedAt = Instant.now();
            long start = System.nanoTime();
            Response approved = send("POST", "/api/v1/payout-runs/" + runId + "/approve", t.key, null);
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(wait)).pollInterval(Duration.ofMillis(250)).until(() ->
                    jdbc.queryForObject("SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? AND state = 'PAID'",
                            Integer.class, t.tenantId, runId) == n);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = cpuMicros() - cpuBefore;
            // The p99 below reads the ledger's lines, which another processor (LedgerProjection) writes: wait for it too.
            await().atMost(Duration.ofSeconds(wait)).pollInterval(Duration.ofMillis(250)).until(() ->
                    jdbc.queryForObject("SELECT count(DISTINCT reference) FROM ledger_line WHERE tenant_id = ? AND kind = 'PAYOUT_PAID'",
                            Integer.class, t.tenantId) == n);

            List<Long> sagaMillis = jdbc.queryForList("""
                            SELECT (EXTRACT(EPOCH FROM (paid - reserved)) * 1000)::bigint FROM (
                                SELECT min(posted_at) FILTER (WHERE kind = 'PAYOUT_RESERVED') AS reserved,
                                       min(posted_at) FILTER (WHERE kind = 'PAYOUT_PAID') AS paid
                                FROM ledger_line WHERE tenant_id = ? AND kind IN ('PAYOUT_RESERVED', 'PAYOUT_PAID')
                                GROUP BY reference) x
                            WHERE reserved IS NOT NULL AND paid IS NOT NULL
                            ORDER BY 1""", Long.class, t.tenantId);
            assertThat(sagaMillis).hasSize(n);
            long p99 = sagaMillis.get(Math.min(sagaMillis.size() - 1, (int) Math.ceil(sagaMillis.size() * 0.99) - 1));
            int paidAtFakes = stripe.transfers().size() + paypal.items().size();
            assertThat(paidAtFakes).as("one effect per payout at the fakes").isEqualTo(n);
            String line = String.format("affiliates=%d run_seconds=%.1f payouts_per_s=%.1f p99_saga_ms=%d cpu_us_per_payout=%d",
                    n, seconds, n / seconds, p99, cpu / n);
            // Where the run waited: when the last reservation and the first and last payment were posted.
            // (A reservation's ledger line carries the approval's instant; its event's time stamp is when it was made.)
            java.util.Map<String, Object> phases = jdbc.queryForMap("""
                            SELECT (SELECT max("timestamp"::timestamptz) FROM domainevententry WHERE aggregateidentifier LIKE ?
                                      AND payloadtype LIKE '%PayoutReservedEvent') AS reserved,
                                   min(posted_at) FILTER (WHERE kind = 'PAYOUT_PAID') AS first_paid,
                                   max(posted_at) FILTER (WHERE kind = 'PAYOUT_PAID') AS last_paid
                            FROM ledger_line WHERE tenant_id = ?""", "ledger:" + t.tenantId + ":%", t.tenantId);
            String phaseLine = String.format(" last_reserved_s=%.1f first_paid_s=%.1f last_paid_s=%.1f",
                    since(approvedAt, phases.get("reserved")), since(approvedAt, phases.get("first_paid")),
                    since(approvedAt, phases.get("last_paid")));
            Files.writeString(RESULT, "saga_segments=" + System.getProperty("affnet.payouts.saga-segments", "default") + phaseLine
                    + " stripe transfers=" + stripe.transfers().size() + " paypal items=" + paypal.items().size()
                    + " jvm_cpu_s=" + String.format("%.1f", cpu / 1e6) + "\n" + line + "\n");
            System.out.println(line);
        }
    }

    private static double since(Instant from, Object timestamp) {
        return timestamp == null ? -1 : (((java.sql.Timestamp) timestamp).toInstant().toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }

    /** User plus system CPU time of this JVM from {@code /proc/self/stat} (fields 14 and 15, clock ticks of 1/100 s). */
    static long cpuMicros() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command name: field 3 is f[0], so utime (14) is f[11] and stime (15) f[12].
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000L;
    }
}
