package io.affnet.platform.payout.processors;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.payout.AddPayoutMethodCommand;
import io.affnet.api.payout.ConfirmPayoutMethodCommand;
import io.affnet.api.payout.PayoutMethod;
import io.affnet.api.payout.PayoutProfileId;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import io.affnet.sagas.payout.processor.PayoutKeys;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payout eval ({@code ./affnet eval payouts [--seeds N] [--affiliates N] [--real N] [--parallel N]}): for
 * each seed, a tenant on the whole platform connects the local Stripe and PayPal fakes (seeded faults:
 * 429/409/503 refusals, ambiguous commits that drop the connection, answer 500 or answer after the read
 * timeout; webhooks delayed and duplicated); its affiliates earn in EUR, USD or GBP, half with a Stripe and
 * half with a PayPal payout method, about a quarter of them paid in another currency than they earned (an
 * FX quote at approval), a run is approved and its sagas pay; then the ledger's payouts are reconciled with
 * what the fakes hold, and every currency's ledger with the FX account. The first {@code eval.real-affiliates}
 * affiliates of a seed earn through real clicks and postbacks (offers in their currency), the others through
 * the ledger's commands in bulk (as {@code PayoutBench}), so a seed scales to hundreds of payouts. Prints
 * {@code seeds= payouts= paid_once= double_paid= lost= stuck= invariant_violations= ledger_drift_minor=}.
 * After the first run, processor-side undos of paid payouts (Stripe transfer reversals, PayPal RETURNED
 * items), chargebacks after payment, method changes (processor and sometimes currency) and new earnings, then
 * a second run ({@code -Deval.second-run=false} leaves it out). Seeds may run side by side
 * ({@code eval.parallel}, one tenant and one pair of fakes each). Crashes of the platform (SIGKILL):
 * {@link PayoutCrashEvalIT}.
 */
@TestPropertySource(properties = {
        "affnet.payouts.processors.read-timeout=2s",
        "affnet.payouts.processors.stripe-max-network-retries=1"})
class PayoutEvalIT extends PlatformIT {

    static final String SK = "sk_test_eval_0123456789";
    static final String WHSEC = "whsec_eval_0123456789abcdef";
    static final String HOOK_ID = "EVALHOOK0123456789";
    static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");

    /** What one lead pays the affiliate through a click and a postback (the eval's offers: 2.00 in their currency). */
    static final long LEAD_MINOR = 200;

    /** The tenant's minimum payout in each currency (1.00): a smaller positive balance waits for the next run. */
    static final long MINIMUM_MINOR = 100;

    @Autowired
    CommandGateway commands;

    /** The figures of all seeds; each seed adds its own once it is done. */
    final Tally total = new Tally();

    /** Counters of one seed (or of all, {@link #total}). */
    static final class Tally {
        long payouts, paidOnce, doublePaid, lost, stuck, violations, drift, methodChanges, leftOut, returnedAtProcessor,
                returnedOnce, converted, realAffiliates, bulkAffiliates, currencyChecks;
        final Map<String, Long> paidPerCurrency = new TreeMap<>();

        synchronized void add(Tally s) {
            payouts += s.payouts;
            paidOnce += s.paidOnce;
            doublePaid += s.doublePaid;
            lost += s.lost;
            stuck += s.stuck;
            violations += s.violations;
            drift += s.drift;
            methodChanges += s.methodChanges;
            leftOut += s.leftOut;
            returnedAtProcessor += s.returnedAtProcessor;
            returnedOnce += s.returnedOnce;
            converted += s.converted;
            realAffiliates += s.realAffiliates;
            bulkAffiliates += s.bulkAffiliates;
            currencyChecks += s.currencyChecks;
            s.paidPerCurrency.forEach((c, v) -> paidPerCurrency.merge(c, v, Long::sum));
        }
    }

    /**
     * Whether this JVM is surefire's {@code payout-flow} execution (platform/pom.xml), which runs a
     * {@code -Dtest} selection a second time: an eval runs once, in the default execution.
     */
    static boolean inPayoutFlowExecution() {
        return "payout-flow".equals(System.getProperty("affnet.surefire.execution"));
    }

    @Test
    void campaignsReconcileLedgerAndProcessors() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(inPayoutFlowExecution(), "runs in the default surefire execution");
        int seeds = Integer.getInteger("eval.seeds", 2);
        int affiliates = Integer.getInteger("eval.affiliates", 6);
        int real = Math.min(affiliates, Integer.getInteger("eval.real-affiliates", Math.max(3, (affiliates + 9) / 10)));
        int parallel = Math.max(1, Integer.getInteger("eval.parallel", 1));
        long first = Long.getLong("eval.seed", 1);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> done = new ArrayList<>();
        for (long seed = first; seed < first + seeds; seed++) {
            long s = seed;
            done.add(pool.submit(() -> {
                Campaign c = new Campaign(s, affiliates, real);
                try {
                    c.run();
                } catch (Throwable t) {
                    failures.add("seed=" + s + ": " + t);
                    t.printStackTrace();
                    c.tally.stuck++;
                }
                total.add(c.tally);
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        double minutes = (System.nanoTime() - start) / 60e9;
        Tally t = total;
        String line = "seeds=" + seeds + " payouts=" + t.payouts + " paid_once=" + t.paidOnce + " double_paid=" + t.doublePaid
                + " lost=" + t.lost + " stuck=" + t.stuck + " invariant_violations=" + t.violations + " ledger_drift_minor=" + t.drift;
        String details = "affiliates_per_seed=" + affiliates + " real_per_seed=" + real + " parallel=" + parallel
                + " minutes=" + String.format("%.1f", minutes) + " converted=" + t.converted + " paid_per_currency=" + t.paidPerCurrency
                + " currency_checks=" + t.currencyChecks + "\nmethod_changes=" + t.methodChanges
                + " left_out_below_minimum=" + t.leftOut + " returned_by_processor=" + t.returnedAtProcessor
                + " returned_once=" + t.returnedOnce;
        Files.writeString(Path.of("target", "eval-payouts.txt"), String.join("\n", failures) + (failures.isEmpty() ? "" : "\n")
                + details + "\n" + line + "\n");
        System.out.println(details);
        System.out.println(line);
        assertThat(failures).as("campaign failures (seed printed)").isEmpty();
        assertThat(t.doublePaid + t.lost + t.stuck + t.violations + t.drift).as(line).isZero();
        assertThat(t.paidOnce).as(line).isEqualTo(t.payouts);
        assertThat(t.returnedOnce).as("payouts returned by the processor and recorded so, once").isEqualTo(t.returnedAtProcessor);
        assertThat(t.currencyChecks).as("every seed checked each currency's ledger and FX account").isEqualTo(seeds);
    }

    /** One affiliate of a campaign: where it earns, how it is paid, what the eval expects its ledger to hold. */
    static final class Affiliate {
        final int index;
        final boolean real;
        final String earned;
        String id, code, destination, methodCurrency;
        boolean viaStripe;
        /** Conversions (real: {click id, txn id}; bulk: {conversion id, minor}) in the order earned. */
        final List<String[]> earnings = new ArrayList<>();
        /** Approved earnings minus reversals, in the earned currency. */
        long earnedMinor;

        Affiliate(int index, boolean real, String earned) {
            this.index = index;
            this.real = real;
            this.earned = earned;
        }
    }

    /** One seed: its own tenant, fakes, random numbers and counters. */
    final class Campaign {
        final long seed;
        final int size;
        final int real;
        final Random rng;
        final Tally tally = new Tally();
        final Duration wait;
        /** Payouts the eval had the processor reverse (Stripe) or return (PayPal) after they were paid. */
        final Set<String> returnedAtProcessor = new HashSet<>();
        final List<Affiliate> affiliates = new ArrayList<>();
        Traffic t;
        TenantId tenant;
        FakeStripe stripe;
        FakePayPal paypal;

        Campaign(long seed, int size, int real) {
            this.seed = seed;
            this.size = size;
            this.real = real;
            this.rng = new Random(seed);
            this.wait = Duration.ofSeconds(180 + 2L * size);
        }

        void run() throws Exception {
            Faults stripeFaults = Faults.seeded(seed, 0.10, 0.15, Duration.ofSeconds(3)).withWebhooks(0.3, Duration.ofSeconds(2));
            Faults paypalFaults = Faults.seeded(seed + 1_000_000, 0.10, 0.15, Duration.ofSeconds(3)).withWebhooks(0.3, Duration.ofSeconds(2));
            try (FakeStripe s = new FakeStripe(SK, stripeFaults);
                 FakePayPal p = new FakePayPal("eval-client", "eval-secret", paypalFaults)) {
                stripe = s;
                paypal = p;
                for (String c : CURRENCIES) {
                    stripe.balance(c.toLowerCase(), 1_000_000_000_000L);
                    paypal.balance(c, new BigDecimal("10000000000.00"));
                }
                setUp();
                String run1 = payRun(affiliates.size());
                if (Boolean.parseBoolean(System.getProperty("eval.second-run", "true"))) {
                    secondRun();
                }
                reconcile();
                currencies();
                System.out.println("seed=" + seed + " affiliates=" + size + " (" + real + " through clicks and postbacks) stripe faults "
                        + stripe.faultsDrawn() + ", paypal faults " + paypal.faultsDrawn() + ", webhook deliveries "
                        + (stripe.webhooks().deliveries().size() + paypal.webhooks().deliveries().size()) + ", payouts " + tally.payouts
                        + " (converted " + tally.converted + "), first run " + run1);
            }
        }

        private void setUp() throws Exception {
            t = Traffic.tenant(PayoutEvalIT.this, "eval" + seed, false);
            tenant = TenantId.of(t.tenantId);
            Response terms = send("PUT", "/api/v1/payout-terms", t.key,
                    "{\"defaultHold\":\"PT2S\",\"minimum\":{\"EUR\":\"1.00\",\"USD\":\"1.00\",\"GBP\":\"1.00\"},\"negativeBalanceBlocks\":true}");
            assertThat(terms.status()).as(terms.body()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/stripe", t.key, "{\"apiBase\":\"" + stripe.baseUrl() + "\",\"key\":\"" + SK
                    + "\",\"webhookSecret\":\"" + WHSEC + "\"}").status()).isEqualTo(200);
            assertThat(send("PUT", "/api/v1/payout-processors/paypal", t.key, "{\"apiBase\":\"" + paypal.baseUrl()
                    + "\",\"key\":\"eval-client\",\"secret\":\"eval-secret\",\"webhookId\":\"" + HOOK_ID + "\"}").status()).isEqualTo(200);
            stripe.webhookEndpoint(base + "/webhooks/stripe/" + t.tenantId, WHSEC);
            paypal.webhookEndpoint(base + "/webhooks/paypal/" + t.tenantId, HOOK_ID);
            await().atMost(wait).until(() -> jdbc.queryForObject("SELECT count(*) FROM payout_terms WHERE tenant_id = ?",
                    Integer.class, t.tenantId) == 1);

            Map<String, String> offers = new HashMap<>();
            for (String c : CURRENCIES) {
                offers.put(c, t.create("/api/v1/offers", """
                        {"name":"Offer %s","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}",
                         "currency":"%s","status":"ACTIVE",
                         "goals":[{"name":"lead","revenue":{"amount":"3.00","currency":"%s"},"payout":{"amount":"2.00","currency":"%s"}}],
                         "attributionWindowSeconds":86400,"caps":null}""".formatted(c, t.advertiserId, c, c, c)));
            }
            Instant at = Instant.now().minusSeconds(60);
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                // Earned in EUR, USD or GBP; about a quarter paid in another of the three (an FX quote at approval).
                Affiliate a = new Affiliate(i, i < real, CURRENCIES.get(rng.nextInt(3)));
                a.methodCurrency = rng.nextInt(4) == 0 ? CURRENCIES.get((CURRENCIES.indexOf(a.earned) + 1 + rng.nextInt(2)) % 3) : a.earned;
                a.viaStripe = i % 2 == 0;
                a.destination = a.viaStripe ? "acct_eval" + seed + "x" + i : "payee" + seed + "x" + i + "@example.com";
                if (a.viaStripe) {
                    stripe.connectedAccount(a.destination);
                }
                int leads = 1 + rng.nextInt(3);
                if (a.real) {
                    a.id = t.affiliate("eval" + seed + "-" + i + "@example.com", "[]");
                    a.code = t.link(a.id, offers.get(a.earned));
                    for (int l = 0; l < leads; l++) {
                        String click = t.clickId(a.code);
                        String txn = "E" + seed + "_" + i + "_" + l;
                        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=" + txn).body()).isEqualTo("accepted");
                        a.earnings.add(new String[]{click, txn});
                        a.earnedMinor += LEAD_MINOR;
                    }
                    confirmedMethod(a, false);
                } else {
                    a.id = "aff_eval" + seed + "_" + i;
                    String profile = PayoutProfileId.of(tenant, a.id);
                    String methodId = "pm_eval" + seed + "x" + i;
                    CompletableFuture<Object> chain = CompletableFuture.completedFuture(null);
                    for (int l = 0; l < leads; l++) {
                        long minor = 100 + rng.nextInt(4900);
                        String conversion = "cv_eval" + seed + "_" + i + "_" + l;
                        a.earnings.add(new String[]{conversion, Long.toString(minor)});
                        a.earnedMinor += minor;
                        PostEarningCommand earn = new PostEarningCommand(AffiliateLedgerId.of(tenant, a.id), tenant, a.id, conversion,
                                "off_eval", new Money(minor * 3 / 2, a.earned), new Money(minor, a.earned), Duration.ZERO, at);
                        chain = chain.thenCompose(x -> commands.send(earn));
                    }
                    PayoutMethod method = new PayoutMethod(methodId, a.viaStripe ? "STRIPE" : "PAYPAL", a.destination,
                            a.viaStripe ? "" : "EMAIL", a.methodCurrency, "DE");
                    inFlight.acquire();
                    sent.add(chain.thenCompose(x -> commands.send(new AddPayoutMethodCommand(profile, tenant, a.id, method, true, "eval", at)))
                            .thenCompose(x -> commands.send(new ConfirmPayoutMethodCommand(profile, tenant, methodId, "eval", at)))
                            .whenComplete((x, e) -> inFlight.release()));
                }
                affiliates.add(a);
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            tally.realAffiliates += real;
            tally.bulkAffiliates += size - real;
            Map<String, Long> expected = new HashMap<>();
            affiliates.forEach(a -> expected.put(a.id, a.earnedMinor));
            awaitAvailable(expected, Map.of());
            await().atMost(wait).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default AND status = 'CONFIRMED'",
                    Integer.class, t.tenantId) == size);
        }

        /**
         * Waits until every affiliate's ledger holds nothing pending and exactly the expected available
         * balance in its earned currency (the ledger's lines, which the balances API sums); real affiliates are
         * also read through {@code GET /api/v1/affiliates/{id}/ledger/balances} once the lines agree.
         */
        private void awaitAvailable(Map<String, Long> expected, Map<String, Long> returned) {
            Map<String, String> earnedOf = new HashMap<>();
            affiliates.forEach(a -> earnedOf.put(a.id, a.earned));
            List<String> differing = new ArrayList<>();
            try {
                await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Map<String, long[]> now = ledgerBalances(earnedOf);
                    differing.clear();
                    for (Affiliate a : affiliates) {
                        long[] b = now.getOrDefault(a.id, new long[4]);
                        if (b[0] != 0 || b[1] != expected.get(a.id)) {
                            differing.add(a.id + " expected available " + expected.get(a.id) + " (returned "
                                    + returned.getOrDefault(a.id, 0L) + ") but pending " + b[0] + " available " + b[1]);
                        }
                    }
                    return differing.isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                if (!differing.isEmpty()) {
                    System.out.println("seed=" + seed + " " + differing.size() + " affiliate(s) differ, e.g. " + differing.get(0) + "; payouts "
                            + jdbc.queryForList("SELECT payout_id, processor, state, reference, batch_reference FROM payout "
                            + "WHERE tenant_id = ? AND affiliate_id = ?", t.tenantId, differing.get(0).split(" ")[0]));
                }
                throw e;
            }
            for (Affiliate a : affiliates) {
                if (a.real) {
                    JsonNode b = balance(a.id, a.earned);
                    assertThat(b.path("availableMinor").asLong()).as(a.id + " " + b).isEqualTo(expected.get(a.id));
                }
            }
        }

        /** Per affiliate, its earned currency's {pending, available, in payout, paid} from the ledger's lines. */
        private Map<String, long[]> ledgerBalances(Map<String, String> earnedOf) {
            Map<String, long[]> out = new HashMap<>();
            jdbc.query("SELECT affiliate_id, currency, account, sum(amount_minor) FROM ledger_line WHERE tenant_id = ? "
                    + "AND account LIKE 'AFFILIATE_%' GROUP BY affiliate_id, currency, account", rs -> {
                String affiliate = rs.getString(1);
                if (!rs.getString(2).equals(earnedOf.get(affiliate))) {
                    return;
                }
                int slot = switch (rs.getString(3)) {
                    case "AFFILIATE_PENDING" -> 0;
                    case "AFFILIATE_AVAILABLE" -> 1;
                    case "AFFILIATE_IN_PAYOUT" -> 2;
                    case "AFFILIATE_PAID" -> 3;
                    default -> -1;
                };
                if (slot >= 0) {
                    out.computeIfAbsent(affiliate, k -> new long[4])[slot] += rs.getLong(4);
                }
            }, t.tenantId);
            return out;
        }

        /** Previews and approves a run, waits until its payouts are terminal; answers the run's id. */
        private String payRun(int expectedNewPayouts) {
            int before = jdbc.queryForObject("SELECT count(*) FROM payout WHERE tenant_id = ?", Integer.class, t.tenantId);
            Response preview = send("POST", "/api/v1/payout-runs", t.key, "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
            assertThat(preview.status()).as(preview.body()).isEqualTo(201);
            assertThat(preview.json().get("items")).as(preview.body()).hasSize(expectedNewPayouts);
            String runId = preview.json().get("runId").asText();
            await().atMost(wait).until(() -> send("POST", "/api/v1/payout-runs/" + runId + "/approve", t.key, null).status() == 200);
            await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM payout WHERE tenant_id = ? AND state NOT IN ('PAID','FAILED','RETURNED','REVERSED')",
                    Integer.class, t.tenantId) == 0 && jdbc.queryForObject("SELECT count(*) FROM payout WHERE tenant_id = ?",
                    Integer.class, t.tenantId) == before + expectedNewPayouts);
            return runId;
        }

        /**
         * After the first run: about a third of the affiliates have a paid earning reversed (chargeback: a
         * negative available balance, carried forward), about a third change their payout method to the other
         * processor (requested and confirmed, made default; sometimes in another currency), every one earns one
         * or two more; a second run then pays exactly those whose balance reaches the minimum, each through its current
         * default method and in its currency. A payout through a replaced method, or an affiliate whose ledger
         * (pending + available + in payout + paid, plus what left the earned currency through FX) differs from
         * its approved commissions (real: the commissions view, I2; bulk: what the eval posted), counts as an
         * invariant violation.
         */
        private void secondRun() throws Exception {
            Map<String, Long> returnedTo = returnSomePayouts();
            Map<String, Long> expectedOwed = new HashMap<>();
            Map<String, String> earnedOf = new HashMap<>();
            affiliates.forEach(a -> earnedOf.put(a.id, a.earned));
            Instant at = Instant.now();
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (Affiliate a : affiliates) {
                // The first run paid everything (paid_once counts it): what is owed now is what came back.
                long owed = returnedTo.getOrDefault(a.id, 0L);
                List<CompletableFuture<Object>> mine = new ArrayList<>();
                // The affiliate's ledger commands go one after the other (one aggregate).
                CompletableFuture<Object> ledger = CompletableFuture.completedFuture(null);
                if (rng.nextInt(3) == 0) {
                    String[] first = a.earnings.get(0);
                    if (a.real) {
                        assertThat(t.postback("click_id=" + first[0] + "&goal=lead&txn_id=" + first[1] + "&status=chargeback").body())
                                .isEqualTo("accepted");
                        owed -= LEAD_MINOR;
                        a.earnedMinor -= LEAD_MINOR;
                    } else {
                        PostReversalCommand reversal = new PostReversalCommand(AffiliateLedgerId.of(tenant, a.id), tenant, a.id, first[0], at);
                        ledger = ledger.thenCompose(x -> commands.send(reversal));
                        owed -= Long.parseLong(first[1]);
                        a.earnedMinor -= Long.parseLong(first[1]);
                    }
                }
                if (rng.nextInt(3) == 0) {
                    a.viaStripe = !a.viaStripe;
                    a.destination = a.viaStripe ? "acct_eval" + seed + "y" + a.index : "payee" + seed + "y" + a.index + "@example.com";
                    if (rng.nextInt(2) == 0) {
                        a.methodCurrency = CURRENCIES.get(rng.nextInt(3));
                    }
                    if (a.viaStripe) {
                        stripe.connectedAccount(a.destination);
                    }
                    if (a.real) {
                        confirmedMethod(a, true);
                    } else {
                        String profile = PayoutProfileId.of(tenant, a.id);
                        String methodId = "pm_eval" + seed + "y" + a.index;
                        PayoutMethod method = new PayoutMethod(methodId, a.viaStripe ? "STRIPE" : "PAYPAL", a.destination,
                                a.viaStripe ? "" : "EMAIL", a.methodCurrency, "DE");
                        mine.add(commands.send(new AddPayoutMethodCommand(profile, tenant, a.id, method, true, "eval", at))
                                .thenCompose(x -> commands.send(new ConfirmPayoutMethodCommand(profile, tenant, methodId, "eval", at))));
                    }
                    tally.methodChanges++;
                }
                int more = 1 + rng.nextInt(2);
                for (int l = 0; l < more; l++) {
                    if (a.real) {
                        String txn = "F" + seed + "_" + a.index + "_" + l;
                        String click = t.clickId(a.code);
                        assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=" + txn).body()).isEqualTo("accepted");
                        a.earnings.add(new String[]{click, txn});
                        owed += LEAD_MINOR;
                        a.earnedMinor += LEAD_MINOR;
                    } else {
                        long minor = 100 + rng.nextInt(4900);
                        String conversion = "cv_eval" + seed + "_" + a.index + "_f" + l;
                        a.earnings.add(new String[]{conversion, Long.toString(minor)});
                        PostEarningCommand earn = new PostEarningCommand(AffiliateLedgerId.of(tenant, a.id), tenant, a.id, conversion,
                                "off_eval", new Money(minor * 3 / 2, a.earned), new Money(minor, a.earned), Duration.ZERO, at);
                        ledger = ledger.thenCompose(x -> commands.send(earn));
                        owed += minor;
                        a.earnedMinor += minor;
                    }
                }
                mine.add(ledger);
                if (!a.real) {
                    inFlight.acquire();
                    sent.add(CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> inFlight.release()));
                }
                expectedOwed.put(a.id, owed);
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            awaitAvailable(expectedOwed, returnedTo);
            await().atMost(wait).until(() -> jdbc.queryForObject("SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default",
                    Integer.class, t.tenantId) == affiliates.size() && jdbc.queryForObject(
                    "SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default AND processor = 'STRIPE'", Integer.class,
                    t.tenantId) == affiliates.stream().filter(a -> a.viaStripe).count());
            int payable = (int) expectedOwed.values().stream().filter(v -> v >= MINIMUM_MINOR).count();
            String run2 = payRun(payable);
            tally.leftOut += expectedOwed.values().stream().filter(v -> v < MINIMUM_MINOR).count();
            Map<String, Map<String, Object>> paidInRun2 = new HashMap<>();
            for (Map<String, Object> row : jdbc.queryForList("SELECT affiliate_id, processor, paid_currency FROM payout "
                    + "WHERE tenant_id = ? AND run_id = ?", t.tenantId, run2)) {
                paidInRun2.put((String) row.get("affiliate_id"), row);
            }
            Map<String, Long> approvedOf = new HashMap<>();
            for (Affiliate a : affiliates) {
                Map<String, Object> row = paidInRun2.get(a.id);
                if (expectedOwed.get(a.id) >= MINIMUM_MINOR && (row == null || !row.get("processor").equals(a.viaStripe ? "STRIPE" : "PAYPAL")
                        || !a.methodCurrency.equals(String.valueOf(row.get("paid_currency")).trim()))) {
                    tally.violations++;
                    System.out.println("seed=" + seed + " affiliate " + a.id + " not paid through its current method ("
                            + (a.viaStripe ? "STRIPE " : "PAYPAL ") + a.methodCurrency + "): " + row);
                }
                approvedOf.put(a.id, a.earnedMinor);
            }
            // I2. Both sides are views of their own processors: compared once converged (within the wait); a
            // difference that outlasts it is a violation. Real affiliates: the commissions view; bulk: what the eval posted.
            Map<String, long[]> ledgerOf = new HashMap<>();
            List<String> differing = new ArrayList<>();
            try {
                await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    differing.clear();
                    Map<String, long[]> now = ledgerBalances(earnedOf);
                    Map<String, Long> convertedOut = convertedOut();
                    for (Affiliate a : affiliates) {
                        long[] b = now.getOrDefault(a.id, new long[4]);
                        long ledger = b[0] + b[1] + b[2] + b[3] + convertedOut.getOrDefault(a.id, 0L);
                        ledgerOf.put(a.id, new long[]{ledger});
                        long approved = a.real ? commissions(a.id) : approvedOf.get(a.id);
                        if (a.real && approved != approvedOf.get(a.id)) {
                            differing.add(a.id + " commissions view " + approved + " but the eval's leads " + approvedOf.get(a.id));
                        } else if (ledger != approved) {
                            differing.add(a.id + " ledger " + ledger + " but approved commissions " + approved);
                        }
                    }
                    return differing.isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                tally.violations += differing.size();
                differing.forEach(d -> System.out.println("seed=" + seed + " affiliate " + d));
            }
        }

        /**
         * Per affiliate, what left its earned currency's accounts through the FX account and stayed out: the
         * amounts of converted payouts that are PAID (a failed, returned or reversed one is booked back at its quote).
         */
        private Map<String, Long> convertedOut() {
            Map<String, Long> out = new HashMap<>();
            jdbc.query("SELECT affiliate_id, sum(amount_minor) FROM payout WHERE tenant_id = ? AND amount_currency <> paid_currency "
                    + "AND state = 'PAID' GROUP BY affiliate_id", rs -> {
                out.put(rs.getString(1), rs.getLong(2));
            }, t.tenantId);
            return out;
        }

        private long commissions(String affiliate) {
            Response r = send("GET", "/api/v1/affiliates/" + affiliate + "/balance", t.key, null);
            if (r.status() != 200 || r.json().at("/balances/0/approved/amount").isMissingNode()) {
                return Long.MIN_VALUE;
            }
            return new BigDecimal(r.json().at("/balances/0/approved/amount").asText()).movePointRight(2).longValueExact();
        }

        /**
         * About a quarter of the paid payouts are undone at the processor, as its documented behaviour allows
         * (docs/payout-processors.md): a Stripe transfer reversed from the platform's dashboard
         * ({@code transfer.reversed}), a PayPal item RETURNED (an unclaimed item expired,
         * {@code PAYMENT.PAYOUTS-ITEM.RETURNED}); the webhooks go through the fakes' seeded delays and duplicates.
         * The ledger must record each as REVERSED/RETURNED once and give the amount back to available in the
         * earned currency (at the payout's quote when converted; the second run pays it again, through the
         * affiliate's current method). Answers the amount per affiliate, in its earned currency.
         */
        private Map<String, Long> returnSomePayouts() {
            Map<String, Long> returnedTo = new HashMap<>();
            Map<String, List<FakePayPal.Item>> itemsByBatch = new HashMap<>();
            paypal.items().forEach(i -> itemsByBatch.computeIfAbsent(i.senderBatchId(), k -> new ArrayList<>()).add(i));
            // In the eval's own order of affiliates (then payout ids), not by payout id alone: a real affiliate's id is
            // the platform's random one, and the seed must draw the same returns for the same affiliates every time.
            Map<String, Integer> indexOf = new HashMap<>();
            affiliates.forEach(a -> indexOf.put(a.id, a.index));
            List<Map<String, Object>> paid = new ArrayList<>(jdbc.queryForList("SELECT payout_id, affiliate_id, processor, amount_minor "
                    + "FROM payout WHERE tenant_id = ? AND state = 'PAID' ORDER BY payout_id", t.tenantId));
            paid.sort(java.util.Comparator.comparing((Map<String, Object> r) -> indexOf.getOrDefault((String) r.get("affiliate_id"), -1)));
            for (Map<String, Object> row : paid) {
                if (rng.nextInt(4) != 0) {
                    continue;
                }
                String payoutId = (String) row.get("payout_id");
                if ("STRIPE".equals(row.get("processor"))) {
                    List<FakeStripe.Transfer> ts = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(t.tenantId, payoutId))
                            .stream().filter(x -> !x.reversed()).toList();
                    if (ts.size() != 1) {
                        continue; // the reconciliation counts it
                    }
                    stripe.reverse(ts.get(0).id());
                } else {
                    List<FakePayPal.Item> items = itemsByBatch.getOrDefault(PayoutKeys.paypalSenderBatchId(t.tenantId, payoutId), List.of())
                            .stream().filter(i -> i.status().equals("SUCCESS")).toList();
                    if (items.size() != 1) {
                        continue;
                    }
                    paypal.returnItem(items.get(0).itemId());
                }
                returnedAtProcessor.add(payoutId);
                returnedTo.merge((String) row.get("affiliate_id"), ((Number) row.get("amount_minor")).longValue(), Long::sum);
            }
            tally.returnedAtProcessor += returnedAtProcessor.size();
            return returnedTo;
        }

        /** Requests the affiliate's payout method (its processor, destination and currency) and confirms it as the tenant admin. */
        private void confirmedMethod(Affiliate a, boolean makeDefault) {
            Response added = send("POST", "/api/v1/affiliates/" + a.id + "/payout-methods", t.key,
                    "{\"processor\":\"" + (a.viaStripe ? "STRIPE" : "PAYPAL") + "\",\"destination\":\"" + a.destination
                            + "\",\"currency\":\"" + a.methodCurrency + "\",\"country\":\"DE\",\"makeDefault\":" + makeDefault + "}");
            assertThat(added.status()).as(added.body()).isEqualTo(202);
            String methodId = added.json().get("methodId").asText();
            await().atMost(wait).until(() -> send("POST", "/api/v1/affiliates/" + a.id + "/payout-methods/" + methodId
                    + "/confirm", t.key, null).status() == 200);
        }

        private JsonNode balance(String affiliate, String currency) {
            Response r = send("GET", "/api/v1/affiliates/" + affiliate + "/ledger/balances", t.key, null);
            if (r.status() == 200) {
                for (JsonNode b : r.json().path("balances")) {
                    if (currency.equals(b.path("currency").asText())) {
                        return b;
                    }
                }
            }
            return JSON.createObjectNode();
        }

        /**
         * Each payout row against the fakes: effects per payout key (transfers in its {@code transfer_group},
         * items of its {@code sender_batch_id}) in the paid currency and amount; a converted payout's paid amount
         * is its amount at its recorded rate, rounded half-even once (Fx); every affiliate's clearing is zero (I6).
         */
        private void reconcile() {
            Map<String, List<FakePayPal.Item>> itemsByBatch = new HashMap<>();
            paypal.items().forEach(i -> itemsByBatch.computeIfAbsent(i.senderBatchId(), k -> new ArrayList<>()).add(i));
            List<Map<String, Object>> rows = jdbc.queryForList("SELECT payout_id, affiliate_id, processor, amount_minor, "
                    + "amount_currency, paid_minor, paid_currency, fx_rate, state FROM payout WHERE tenant_id = ?", t.tenantId);
            for (Map<String, Object> row : rows) {
                tally.payouts++;
                String payoutId = (String) row.get("payout_id");
                String state = (String) row.get("state");
                String amountCurrency = String.valueOf(row.get("amount_currency")).trim();
                String paidCurrency = String.valueOf(row.get("paid_currency")).trim();
                long amount = ((Number) row.get("amount_minor")).longValue();
                long paid = ((Number) row.get("paid_minor")).longValue();
                if (!amountCurrency.equals(paidCurrency)) {
                    tally.converted++;
                    String rate = (String) row.get("fx_rate");
                    long expected = rate == null ? Long.MIN_VALUE : BigDecimal.valueOf(amount).movePointLeft(2).multiply(new BigDecimal(rate))
                            .movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
                    if (paid != expected) {
                        tally.violations++;
                        System.out.println("seed=" + seed + " payout " + payoutId + " " + amount + " " + amountCurrency + " at " + rate
                                + " paid " + paid + " " + paidCurrency + ", not " + expected);
                    }
                } else if (paid != amount) {
                    tally.violations++;
                    System.out.println("seed=" + seed + " payout " + payoutId + " amount " + amount + " but paid " + paid + " in " + paidCurrency);
                }
                long effects;
                long sent; // transfers or items that moved money, including those undone later
                long atProcessor;
                boolean otherCurrency;
                if ("STRIPE".equals(row.get("processor"))) {
                    List<FakeStripe.Transfer> ts = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(t.tenantId, payoutId));
                    effects = ts.stream().filter(x -> !x.reversed()).count();
                    sent = ts.size();
                    atProcessor = ts.stream().filter(x -> !x.reversed()).mapToLong(FakeStripe.Transfer::amount).sum();
                    otherCurrency = ts.stream().anyMatch(x -> !x.currency().equalsIgnoreCase(paidCurrency));
                } else {
                    List<FakePayPal.Item> all = itemsByBatch.getOrDefault(PayoutKeys.paypalSenderBatchId(t.tenantId, payoutId), List.of())
                            .stream().filter(i -> !i.status().equals("FAILED")).toList();
                    List<FakePayPal.Item> items = all.stream().filter(i -> !i.status().equals("RETURNED")).toList();
                    effects = items.size();
                    sent = all.size();
                    atProcessor = items.stream().mapToLong(i -> new BigDecimal(i.value()).movePointRight(2).longValueExact()).sum();
                    otherCurrency = all.stream().anyMatch(x -> !x.currency().equalsIgnoreCase(paidCurrency));
                }
                if (otherCurrency) {
                    tally.violations++;
                    System.out.println("seed=" + seed + " payout " + payoutId + " paid at the processor in another currency than " + paidCurrency);
                }
                boolean undone = returnedAtProcessor.contains(payoutId);
                if (!List.of("PAID", "FAILED", "RETURNED", "REVERSED").contains(state)) {
                    tally.stuck++;
                    System.out.println("seed=" + seed + " payout " + payoutId + " stuck in " + state);
                } else if (effects > 1 || sent > 1) {
                    tally.doublePaid++;
                    System.out.println("seed=" + seed + " payout " + payoutId + " paid " + sent + " times (" + effects + " standing), ledger " + state);
                } else if (undone) {
                    // Paid once, then reversed or returned by the processor: the ledger must say so.
                    if (sent == 1 && effects == 0 && (state.equals("RETURNED") || state.equals("REVERSED"))) {
                        tally.paidOnce++;
                        tally.returnedOnce++;
                    } else {
                        tally.violations++;
                        System.out.println("seed=" + seed + " payout " + payoutId + " returned at the processor but ledger " + state);
                    }
                } else if (state.equals("PAID") && effects == 1) {
                    tally.paidOnce++;
                } else if (effects == 1 || state.equals("PAID")) {
                    tally.lost++;
                    System.out.println("seed=" + seed + " payout " + payoutId + " ledger " + state + " but " + effects + " effect(s) at the processor");
                }
                long ledgerPaid = state.equals("PAID") ? paid : 0;
                if (state.equals("PAID")) {
                    tally.paidPerCurrency.merge(paidCurrency, paid, Long::sum);
                }
                tally.drift += Math.abs(ledgerPaid - atProcessor);
            }
            Map<String, Long> clearing = new HashMap<>();
            jdbc.query("SELECT affiliate_id, sum(amount_minor) FROM ledger_line WHERE tenant_id = ? AND account = 'AFFILIATE_IN_PAYOUT' "
                    + "GROUP BY affiliate_id, currency HAVING sum(amount_minor) <> 0", rs -> {
                clearing.put(rs.getString(1), rs.getLong(2));
            }, t.tenantId);
            if (!clearing.isEmpty()) {
                tally.violations += clearing.size();
                System.out.println("seed=" + seed + " clearing not zero: " + clearing);
            }
            for (Affiliate a : affiliates) {
                if (a.real && balance(a.id, a.earned).path("inPayoutMinor").asLong() != 0) {
                    tally.violations++;
                    System.out.println("seed=" + seed + " affiliate " + a.id + " clearing not zero: " + balance(a.id, a.earned));
                }
            }
        }

        /**
         * Per currency, through {@code GET /api/v1/ledger/balances}: the tenant's accounts sum to zero (I1, nothing
         * created or lost in any currency), and the FX account holds exactly the network's position from the
         * converted payouts that stayed paid (+ amount in the earned currency, − paid in the paid currency); what
         * the fakes paid out in each currency equals the ledger's AFFILIATE_PAID in it. A difference is an
         * invariant violation (printed) and its size counts as drift.
         */
        private void currencies() {
            Map<String, Long> fxExpected = new TreeMap<>();
            jdbc.query("SELECT amount_currency, paid_currency, amount_minor, paid_minor FROM payout WHERE tenant_id = ? "
                    + "AND amount_currency <> paid_currency AND state = 'PAID'", rs -> {
                fxExpected.merge(rs.getString(1).trim(), rs.getLong(3), Long::sum);
                fxExpected.merge(rs.getString(2).trim(), -rs.getLong(4), Long::sum);
            }, t.tenantId);
            Map<String, Long> paidAtFakes = new TreeMap<>();
            stripe.transfers().forEach(x -> paidAtFakes.merge(x.currency().toUpperCase(), x.amount() - Math.min(x.amount(), x.amountReversed()), Long::sum));
            paypal.items().stream().filter(i -> !i.status().equals("FAILED") && !i.status().equals("RETURNED"))
                    .forEach(i -> paidAtFakes.merge(i.currency().toUpperCase(), new BigDecimal(i.value()).movePointRight(2).longValueExact(), Long::sum));
            Map<String, Long> sums = new TreeMap<>();
            Map<String, Long> fx = new TreeMap<>();
            Map<String, Long> affiliatePaid = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            try {
                await().atMost(wait).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    Response r = send("GET", "/api/v1/ledger/balances", t.key, null);
                    if (r.status() != 200) {
                        return false;
                    }
                    sums.clear();
                    fx.clear();
                    affiliatePaid.clear();
                    r.json().path("currencies").fields().forEachRemaining(e -> {
                        for (JsonNode account : e.getValue()) {
                            long minor = account.path("minor").asLong();
                            sums.merge(e.getKey(), minor, Long::sum);
                            if (account.path("account").asText().equals("FX_GAIN_LOSS")) {
                                fx.merge(e.getKey(), minor, Long::sum);
                            }
                            if (account.path("account").asText().equals("AFFILIATE_PAID")) {
                                affiliatePaid.merge(e.getKey(), minor, Long::sum);
                            }
                        }
                    });
                    problems.clear();
                    for (String c : CURRENCIES) {
                        if (sums.getOrDefault(c, 0L) != 0) {
                            problems.add(c + " accounts sum to " + sums.get(c));
                        }
                        if (!fx.getOrDefault(c, 0L).equals(fxExpected.getOrDefault(c, 0L))) {
                            problems.add(c + " FX account " + fx.getOrDefault(c, 0L) + " but converted payouts give " + fxExpected.getOrDefault(c, 0L));
                        }
                        if (!affiliatePaid.getOrDefault(c, 0L).equals(paidAtFakes.getOrDefault(c, 0L))) {
                            problems.add(c + " paid " + affiliatePaid.getOrDefault(c, 0L) + " in the ledger but " + paidAtFakes.getOrDefault(c, 0L)
                                    + " at the processors");
                        }
                    }
                    return problems.isEmpty();
                });
                tally.currencyChecks++;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                tally.violations += problems.size();
                for (String c : CURRENCIES) {
                    tally.drift += Math.abs(sums.getOrDefault(c, 0L)) + Math.abs(fx.getOrDefault(c, 0L) - fxExpected.getOrDefault(c, 0L))
                            + Math.abs(affiliatePaid.getOrDefault(c, 0L) - paidAtFakes.getOrDefault(c, 0L));
                }
                problems.forEach(p -> System.out.println("seed=" + seed + " " + p));
            }
            System.out.println("seed=" + seed + " per currency: FX " + fx + " paid " + affiliatePaid);
        }
    }
}
