package io.affnet.platform.payout.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.fakes.Faults;
import io.affnet.fakes.paypal.FakePayPal;
import io.affnet.fakes.stripe.FakeStripe;
import io.affnet.platform.support.ChildPlatform;
import io.affnet.sagas.payout.processor.PayoutKeys;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The payout eval with crashes ({@code ./affnet eval payouts --crash [--seeds N] [--affiliates N]}): the
 * platform runs as a child JVM ({@link ChildPlatform}, a database of its own) and is SIGKILLed in the
 * middle of each campaign's payout run, then started again on the same port and stores. Per seed: a tenant
 * connects a {@link FakeStripe} and a {@link FakePayPal} (seeded faults, as in {@link PayoutEvalIT}), its
 * affiliates earn through clicks and postbacks, even ones are paid through Stripe and odd ones through PayPal,
 * a run is approved; once a seeded number of its payouts (0 … all but one) are PAID, at a seeded extra delay,
 * the node is killed — so the kill lands anywhere in the run: before the reservations, between a processor's
 * request and the saga storing its answer, between the ledger's events and the projections. The restarted
 * node must finish the run; then every payout is reconciled with what the fakes hold (effects per payout key
 * and amounts), every ledger entry must net to zero (I1) and every affiliate's clearing account must be back
 * at zero (I6). Then (unless {@code -Deval.second-run=false}) a second run with processor-side undos, method
 * changes and new sales, killed inside a payout deadline's execution ({@link #secondRun}). Prints
 * {@code seeds= payouts= paid_once= double_paid= lost= stuck= invariant_violations= ledger_drift_minor= kills=}.
 */
class PayoutCrashEvalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String[] NODE_ARGS = {"--affnet.payouts.processors.read-timeout=2s",
            "--affnet.payouts.processors.stripe-max-network-retries=1", "--logging.level.root=WARN"};

    long payouts, paidOnce, doublePaid, lost, stuck, violations, drift, kills, killsInDeadline, returnedAtProcessor, returnedOnce,
            methodChanges;
    int starts;

    @Test
    void killedDuringItsRunsTheNodePaysEachPayoutOnce() throws Exception {
        assumeFalse(PayoutEvalIT.inPayoutFlowExecution(), "runs in the default surefire execution");
        int seeds = Integer.getInteger("eval.seeds", 1);
        int affiliates = Integer.getInteger("eval.affiliates", 6);
        long first = Long.getLong("eval.seed", 1);
        boolean secondRun = Boolean.parseBoolean(System.getProperty("eval.second-run", "true"));
        List<String> failures = new ArrayList<>();
        try (ChildPlatform platform = new ChildPlatform("payout-crash-eval").withOwnDatabase()) {
            Process node = platform.start("node-" + starts++, NODE_ARGS);
            for (long seed = first; seed < first + seeds; seed++) {
                try {
                    node = campaign(platform, node, seed, affiliates, secondRun);
                } catch (Throwable t) {
                    failures.add("seed=" + seed + ": " + t);
                    stuck++;
                    if (!node.isAlive()) {
                        node = platform.start("node-" + starts++, NODE_ARGS);
                    }
                }
            }
        }
        String line = "seeds=" + seeds + " payouts=" + payouts + " paid_once=" + paidOnce + " double_paid=" + doublePaid
                + " lost=" + lost + " stuck=" + stuck + " invariant_violations=" + violations + " ledger_drift_minor=" + drift
                + " kills=" + kills;
        String details = "kills_inside_a_payout_deadline=" + killsInDeadline + " method_changes=" + methodChanges
                + " returned_by_processor=" + returnedAtProcessor + " returned_once=" + returnedOnce;
        Files.writeString(Path.of("target", "eval-payouts-crash.txt"), String.join("\n", failures)
                + (failures.isEmpty() ? "" : "\n") + details + "\n" + line + "\n");
        System.out.println(details);
        System.out.println(line);
        assertThat(failures).as("campaign failures (seed printed)").isEmpty();
        assertThat(kills).as("one SIGKILL per seed and run").isEqualTo(secondRun ? 2L * seeds : seeds);
        assertThat(returnedOnce).as("payouts returned by the processor and recorded so, once").isEqualTo(returnedAtProcessor);
        assertThat(doublePaid + lost + stuck + violations + drift).as(line).isZero();
        assertThat(paidOnce).as(line).isEqualTo(payouts);
    }

    private Process campaign(ChildPlatform platform, Process node, long seed, int affiliates, boolean secondRun) throws Exception {
        Random rng = new Random(seed);
        Faults stripeFaults = Faults.seeded(seed, 0.10, 0.15, Duration.ofSeconds(3)).withWebhooks(0.3, Duration.ofSeconds(2));
        Faults paypalFaults = Faults.seeded(seed + 1_000_000, 0.10, 0.15, Duration.ofSeconds(3)).withWebhooks(0.3, Duration.ofSeconds(2));
        try (FakeStripe stripe = new FakeStripe(PayoutEvalIT.SK, stripeFaults).balance("eur", 1_000_000_000L);
             FakePayPal paypal = new FakePayPal("crash-client", "crash-secret", paypalFaults).balance("EUR", new BigDecimal("10000000.00"))) {
            ChildPlatform.Network net = platform.setUpNetwork("pcrash" + seed);
            String key = net.key();
            String tenant = net.tenantId();
            expect(platform.send("PUT", "/api/v1/payout-terms", key,
                    "{\"defaultHold\":\"PT2S\",\"minimum\":{\"EUR\":\"0.50\"},\"negativeBalanceBlocks\":true}"), 200);
            expect(platform.send("PUT", "/api/v1/payout-processors/stripe", key, "{\"apiBase\":\"" + stripe.baseUrl()
                    + "\",\"key\":\"" + PayoutEvalIT.SK + "\",\"webhookSecret\":\"" + PayoutEvalIT.WHSEC + "\"}"), 200);
            expect(platform.send("PUT", "/api/v1/payout-processors/paypal", key, "{\"apiBase\":\"" + paypal.baseUrl()
                    + "\",\"key\":\"crash-client\",\"secret\":\"crash-secret\",\"webhookId\":\"" + PayoutEvalIT.HOOK_ID + "\"}"), 200);
            stripe.webhookEndpoint(platform.base() + "/webhooks/stripe/" + tenant, PayoutEvalIT.WHSEC);
            paypal.webhookEndpoint(platform.base() + "/webhooks/paypal/" + tenant, PayoutEvalIT.HOOK_ID);

            List<String> earners = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            List<Boolean> stripeOf = new ArrayList<>();
            for (int i = 0; i < affiliates; i++) {
                String affiliate = i == 0 ? net.affiliate() : ChildPlatform.field(platform.send("POST", "/api/v1/affiliates", key,
                        "{\"name\":\"Aff\",\"email\":\"crash" + seed + "-" + i + "@example.com\",\"status\":\"ACTIVE\",\"payoutOverrides\":[]}"),
                        201, "id");
                String code = i == 0 ? net.code() : ChildPlatform.field(platform.send("POST", "/api/v1/links", key,
                        "{\"affiliateId\":\"" + affiliate + "\",\"offerIds\":[\"" + net.offer() + "\"],\"status\":\"ACTIVE\"}"), 201, "code");
                int leads = 1 + rng.nextInt(3);
                for (int l = 0; l < leads; l++) {
                    String click = until(() -> platform.click(code));
                    HttpResponse<String> pb = platform.postback(net.token(), click, "C" + seed + "_" + i + "_" + l);
                    assertThat(pb.statusCode()).as(pb.body()).isEqualTo(200);
                }
                boolean viaStripe = i % 2 == 0;
                addConfirmedMethod(platform, stripe, key, affiliate, viaStripe, "crash" + seed + "x" + i, false);
                earners.add(affiliate);
                codes.add(code);
                stripeOf.add(viaStripe);
            }
            for (String affiliate : earners) {
                until(() -> {
                    JsonNode b = balance(platform, key, affiliate);
                    return b.path("availableMinor").asLong() > 0 && b.path("pendingMinor").asLong() == 0 ? Boolean.TRUE : null;
                });
            }
            HttpResponse<String> preview = platform.send("POST", "/api/v1/payout-runs", key,
                    "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
            assertThat(preview.statusCode()).as(preview.body()).isEqualTo(201);
            JsonNode run = JSON.readTree(preview.body());
            assertThat(run.get("items")).as(preview.body()).hasSize(affiliates);
            String runId = run.get("runId").asText();

            // The kill point: after this many payouts of the run are PAID, plus up to half a second.
            int paidBeforeKill = rng.nextInt(affiliates);
            long extraMillis = rng.nextInt(500);
            until(() -> platform.send("POST", "/api/v1/payout-runs/" + runId + "/approve", key, null).statusCode() == 200
                    ? Boolean.TRUE : null);
            long killBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? AND state = 'PAID'",
                    tenant, runId) < paidBeforeKill && System.nanoTime() < killBy) {
                Thread.sleep(20);
            }
            Thread.sleep(extraMillis);
            long paidAtKill = count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? AND state = 'PAID'",
                    tenant, runId);
            platform.kill(node);
            kills++;
            System.out.println("seed=" + seed + " killed the node with " + paidAtKill + " of " + affiliates + " payouts PAID (aimed at "
                    + paidBeforeKill + " + " + extraMillis + " ms)");
            node = platform.start("node-" + starts++, NODE_ARGS);

            long doneBy = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < doneBy && !(count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ?",
                    tenant, runId) == affiliates && count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? "
                    + "AND state NOT IN ('PAID','FAILED','RETURNED','REVERSED')", tenant, runId) == 0)) {
                Thread.sleep(250);
            }
            reconcile(platform, stripe, paypal, tenant, runId, affiliates, seed);
            if (secondRun) {
                node = secondRun(platform, node, stripe, paypal, net, seed, rng, earners, codes, stripeOf);
            }
            System.out.println("seed=" + seed + " stripe faults " + stripe.faultsDrawn() + ", paypal faults " + paypal.faultsDrawn());
            return node;
        }
    }

    /**
     * The eval's second run, with a crash: about a quarter of the first run's payouts are undone at the
     * processor (a Stripe transfer reversed, a PayPal item RETURNED; webhooks through the seeded delays and
     * duplicates), about a third of the affiliates change their payout method to the other processor, every
     * one earns one more sale; a second run is approved in which every Stripe payout's first request is refused
     * (429, forced) and its retry — a db-scheduler deadline execution ({@code payout-retry}) — commits at Stripe
     * and answers after the read timeout (forced): the node is SIGKILLed as soon as such an execution is picked
     * (or after 90 s, printed). The restarted node must revive the dead node's execution (heartbeats) and finish
     * the run: each of its payouts through the affiliate's current method, paid once, the undone ones recorded
     * once as REVERSED / RETURNED.
     */
    private Process secondRun(ChildPlatform platform, Process node, FakeStripe stripe, FakePayPal paypal, ChildPlatform.Network net,
                              long seed, Random rng, List<String> earners, List<String> codes, List<Boolean> stripeOf) throws Exception {
        String key = net.key();
        String tenant = net.tenantId();
        // Undo about a quarter of the paid payouts at the processor.
        java.util.Map<String, Long> returnedTo = new java.util.HashMap<>();
        List<String> undone = new ArrayList<>();
        try (Connection c = platform.connection(); PreparedStatement st = c.prepareStatement(
                "SELECT payout_id, affiliate_id, processor, amount_minor FROM payout WHERE tenant_id = ? AND state = 'PAID' ORDER BY payout_id")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rng.nextInt(4) != 0) {
                        continue;
                    }
                    String payoutId = rs.getString(1);
                    if ("STRIPE".equals(rs.getString(3))) {
                        List<FakeStripe.Transfer> ts = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(tenant, payoutId))
                                .stream().filter(x -> !x.reversed()).toList();
                        if (ts.size() != 1) {
                            continue;
                        }
                        stripe.reverse(ts.get(0).id());
                    } else {
                        String batch = PayoutKeys.paypalSenderBatchId(tenant, payoutId);
                        List<FakePayPal.Item> items = paypal.items().stream().filter(i -> batch.equals(i.senderBatchId())
                                && i.status().equals("SUCCESS")).toList();
                        if (items.size() != 1) {
                            continue;
                        }
                        paypal.returnItem(items.get(0).itemId());
                    }
                    undone.add(payoutId);
                    returnedTo.merge(rs.getString(2), rs.getLong(4), Long::sum);
                }
            }
        }
        returnedAtProcessor += undone.size();
        for (int i = 0; i < earners.size(); i++) {
            String affiliate = earners.get(i);
            if (rng.nextInt(3) == 0) {
                boolean toStripe = !stripeOf.get(i);
                addConfirmedMethod(platform, stripe, key, affiliate, toStripe, "crash" + seed + "y" + i, true);
                stripeOf.set(i, toStripe);
                methodChanges++;
            }
            String code = codes.get(i);
            String click = until(() -> platform.click(code));
            HttpResponse<String> pb = platform.postback(net.token(), click, "D" + seed + "_" + i);
            assertThat(pb.statusCode()).as(pb.body()).isEqualTo(200);
        }
        // Until the undos are recorded, every new sale has left its hold and every method change is the default.
        long stripeMethods = stripeOf.stream().filter(b -> b).count();
        for (int i = 0; i < earners.size(); i++) {
            String affiliate = earners.get(i);
            long back = returnedTo.getOrDefault(affiliate, 0L);
            until(() -> {
                JsonNode b = balance(platform, key, affiliate);
                return b.path("pendingMinor").asLong() == 0 && b.path("availableMinor").asLong() > back ? Boolean.TRUE : null;
            });
        }
        until(() -> count(platform, "SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default AND processor = 'STRIPE'",
                tenant) == stripeMethods && count(platform, "SELECT count(*) FROM payout_method WHERE tenant_id = ? AND is_default",
                tenant) == earners.size() ? Boolean.TRUE : null);

        HttpResponse<String> preview = platform.send("POST", "/api/v1/payout-runs", key,
                "{\"from\":\"2026-01-01\",\"to\":\"" + LocalDate.now().plusDays(1) + "\"}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(201);
        JsonNode run = JSON.readTree(preview.body());
        assertThat(run.get("items")).as(preview.body()).hasSize(earners.size());
        String runId = run.get("runId").asText();
        // Every Stripe payout's first request refused, its retry (a deadline execution) slow after committing.
        for (int i = 0; i < stripeMethods; i++) {
            stripe.force(Faults.Draw.RATE_LIMITED);
        }
        for (int i = 0; i < stripeMethods; i++) {
            stripe.force(Faults.Draw.COMMIT_THEN_SLOW);
        }
        until(() -> platform.send("POST", "/api/v1/payout-runs/" + runId + "/approve", key, null).statusCode() == 200
                ? Boolean.TRUE : null);
        String inDeadline = null;
        long killBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Connection c = platform.connection(); PreparedStatement st = c.prepareStatement(
                "SELECT task_instance, position(convert_to('payout-retry', 'UTF8') in task_data) > 0 FROM scheduled_tasks "
                        + "WHERE task_name = 'AxonDeadline' AND picked AND position(convert_to('payout-', 'UTF8') in task_data) > 0 LIMIT 1")) {
            while (inDeadline == null && System.nanoTime() < killBy) {
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        inDeadline = (rs.getBoolean(2) ? "payout-retry " : "payout deadline ") + rs.getString(1);
                    }
                }
                if (inDeadline == null) {
                    Thread.sleep(5);
                }
            }
        }
        long paidAtKill = count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? AND state = 'PAID'",
                tenant, runId);
        platform.kill(node);
        kills++;
        if (inDeadline != null) {
            killsInDeadline++;
        }
        System.out.println("seed=" + seed + " second run: killed the node with " + paidAtKill + " of " + earners.size() + " payouts PAID, "
                + (inDeadline == null ? "no payout deadline seen executing within 90 s" : "inside the execution of " + inDeadline)
                + "; " + undone.size() + " undone at the processor, " + stripeMethods + " paid through Stripe");
        node = platform.start("node-" + starts++, NODE_ARGS);
        long doneBy = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < doneBy && !(count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ?",
                tenant, runId) == earners.size() && count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? "
                + "AND state NOT IN ('PAID','FAILED','RETURNED','REVERSED')", tenant) == 0)) {
            Thread.sleep(250);
        }
        reconcile(platform, stripe, paypal, tenant, runId, earners.size(), seed);
        // The undone payouts of the first run: one effect ever, none standing, the ledger says so.
        for (String payoutId : undone) {
            String processor;
            String state;
            try (Connection c = platform.connection(); PreparedStatement st = c.prepareStatement(
                    "SELECT processor, state FROM payout WHERE payout_id = ?")) {
                st.setString(1, payoutId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    processor = rs.getString(1);
                    state = rs.getString(2);
                }
            }
            long sent;
            long standing;
            if ("STRIPE".equals(processor)) {
                List<FakeStripe.Transfer> ts = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(tenant, payoutId));
                sent = ts.size();
                standing = ts.stream().filter(x -> !x.reversed()).count();
            } else {
                String batch = PayoutKeys.paypalSenderBatchId(tenant, payoutId);
                List<FakePayPal.Item> all = paypal.items().stream().filter(i -> batch.equals(i.senderBatchId())
                        && !i.status().equals("FAILED")).toList();
                sent = all.size();
                standing = all.stream().filter(i -> !i.status().equals("RETURNED")).count();
            }
            if (sent == 1 && standing == 0 && (state.equals("RETURNED") || state.equals("REVERSED"))) {
                returnedOnce++;
            } else {
                violations++;
                System.out.println("seed=" + seed + " payout " + payoutId + " undone at the processor (" + sent + " sent, " + standing
                        + " standing) but ledger " + state);
            }
        }
        // Each payout of the second run went through the affiliate's current default method.
        for (int i = 0; i < earners.size(); i++) {
            String affiliate = earners.get(i);
            String expected = stripeOf.get(i) ? "STRIPE" : "PAYPAL";
            if (count(platform, "SELECT count(*) FROM payout WHERE tenant_id = ? AND run_id = ? AND affiliate_id = ? AND processor = ?",
                    tenant, runId, affiliate, expected) != 1) {
                violations++;
                System.out.println("seed=" + seed + " affiliate " + affiliate + " not paid through its current method (" + expected + ")");
            }
        }
        return node;
    }

    private void reconcile(ChildPlatform platform, FakeStripe stripe, FakePayPal paypal, String tenant, String runId,
                           int affiliates, long seed) throws Exception {
        try (Connection c = platform.connection()) {
            int rows = 0;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT payout_id, processor, amount_minor, state FROM payout WHERE tenant_id = ? AND run_id = ?")) {
                st.setString(1, tenant);
                st.setString(2, runId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        payouts++;
                        String payoutId = rs.getString(1);
                        long amount = rs.getLong(3);
                        String state = rs.getString(4);
                        long effects;
                        long atProcessor;
                        if ("STRIPE".equals(rs.getString(2))) {
                            List<FakeStripe.Transfer> ts = stripe.transfersInGroup(PayoutKeys.stripeTransferGroup(tenant, payoutId));
                            effects = ts.stream().filter(x -> !x.reversed()).count();
                            atProcessor = ts.stream().filter(x -> !x.reversed()).mapToLong(FakeStripe.Transfer::amount).sum();
                        } else {
                            String batch = PayoutKeys.paypalSenderBatchId(tenant, payoutId);
                            List<FakePayPal.Item> items = paypal.items().stream().filter(i -> batch.equals(i.senderBatchId())
                                    && !i.status().equals("FAILED") && !i.status().equals("RETURNED")).toList();
                            effects = items.size();
                            atProcessor = items.stream().mapToLong(i -> new BigDecimal(i.value()).movePointRight(2).longValueExact()).sum();
                        }
                        if (!List.of("PAID", "FAILED", "RETURNED", "REVERSED").contains(state)) {
                            stuck++;
                            System.out.println("seed=" + seed + " payout " + payoutId + " still " + state);
                        } else if (effects > 1) {
                            doublePaid++;
                            System.out.println("seed=" + seed + " payout " + payoutId + " has " + effects + " effects at the processor");
                        } else if (state.equals("PAID") && effects == 1) {
                            paidOnce++;
                        } else if (effects == 1 || state.equals("PAID")) {
                            lost++;
                            System.out.println("seed=" + seed + " payout " + payoutId + " ledger " + state + " but " + effects
                                    + " effect(s) at the processor");
                        }
                        drift += Math.abs((state.equals("PAID") ? amount : 0) - atProcessor);
                    }
                }
            }
            if (rows < affiliates) {
                stuck += affiliates - rows;
                System.out.println("seed=" + seed + " only " + rows + " of " + affiliates + " payouts reserved");
            }
            // I1: every entry nets to zero per currency; I6: clearing back at zero once every payout is terminal.
            violations += report(c, "SELECT entry_id, currency, sum(amount_minor) FROM ledger_line WHERE tenant_id = ? "
                    + "GROUP BY entry_id, currency HAVING sum(amount_minor) <> 0", tenant, seed, "entry does not net to zero");
            violations += report(c, "SELECT affiliate_id, currency, sum(amount_minor) FROM ledger_line WHERE tenant_id = ? "
                    + "AND account = 'AFFILIATE_IN_PAYOUT' GROUP BY affiliate_id, currency HAVING sum(amount_minor) <> 0", tenant, seed,
                    "clearing not zero");
        }
    }

    private static long report(Connection c, String sql, String tenant, long seed, String what) throws Exception {
        long n = 0;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    n++;
                    System.out.println("seed=" + seed + " " + what + ": " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
                }
            }
        }
        return n;
    }

    private static long count(ChildPlatform platform, String sql, String... args) throws Exception {
        try (Connection c = platform.connection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Adds a payout method in EUR for a German affiliate (a Stripe connected account {@code acct_<name>}, which
     * the fake then knows, or the PayPal address {@code <name>@example.com}) and confirms it as the tenant admin.
     */
    private static void addConfirmedMethod(ChildPlatform platform, FakeStripe stripe, String key, String affiliate,
                                           boolean viaStripe, String name, boolean makeDefault) throws Exception {
        String destination = viaStripe ? "acct_" + name : name + "@example.com";
        if (viaStripe) {
            stripe.connectedAccount(destination);
        }
        String methodId = ChildPlatform.field(platform.send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods", key,
                "{\"processor\":\"" + (viaStripe ? "STRIPE" : "PAYPAL") + "\",\"destination\":\"" + destination
                        + "\",\"currency\":\"EUR\",\"country\":\"DE\"" + (makeDefault ? ",\"makeDefault\":true" : "")
                        + "}"), 202, "methodId");
        until(() -> platform.send("POST", "/api/v1/affiliates/" + affiliate + "/payout-methods/" + methodId + "/confirm",
                key, null).statusCode() == 200 ? Boolean.TRUE : null);
    }

    private static JsonNode balance(ChildPlatform platform, String key, String affiliate) throws Exception {
        HttpResponse<String> r = platform.send("GET", "/api/v1/affiliates/" + affiliate + "/ledger/balances", key, null);
        return r.statusCode() == 200 ? JSON.readTree(r.body()).at("/balances/0") : JSON.createObjectNode();
    }

    private static void expect(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    /** Calls until it answers non-null without throwing, for up to {@link #WAIT}. */
    private static <T> T until(Callable<T> call) throws Exception {
        long by = System.nanoTime() + WAIT.toNanos();
        Throwable last = null;
        while (System.nanoTime() < by) {
            try {
                T v = call.call();
                if (v != null) {
                    return v;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no answer within " + WAIT, last);
    }
}
