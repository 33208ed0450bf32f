package io.affnet.distribution.eval;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.policy.BinomLikePolicy;
import io.affnet.distribution.policy.ContextualThompsonPolicy;
import io.affnet.distribution.policy.Policies;
import io.affnet.distribution.policy.ThompsonEpcPolicy;
import io.affnet.distribution.policy.UniformPolicy;
import io.affnet.distribution.policy.VoluumLikePolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs every policy on every scenario over many seeds and prints, per scenario, a table of EPC,
 * share of the oracle and lift over uniform with 95% confidence intervals over seeds; then the
 * off-policy estimates on the Open Bandit sample; and last a one-line summary.
 *
 * <p>Usage: {@code EvalMain [--seeds N] [--threads T] [--obd DIR | --no-obd] [--scenario FILE.json ...]}.
 * Without {@code --scenario} the built-in scenarios run.
 */
public final class EvalMain {

    static final List<String> BUILT_IN = List.of("stationary", "swap", "drift", "churn", "low-traffic", "context");
    static final List<String> OURS = List.of(ThompsonEpcPolicy.NAME, ContextualThompsonPolicy.NAME);
    static final List<String> HEURISTICS = List.of(BinomLikePolicy.NAME, VoluumLikePolicy.NAME);

    private EvalMain() {
    }

    /** Per-policy outcome of one scenario. */
    record Row(String policy, SeedStats epc, SeedStats oraclePct, SeedStats liftPct) {
    }

    record ScenarioResult(Scenario scenario, Map<String, Row> rows) {
        Row bestOurs() {
            return OURS.stream().map(rows::get).filter(java.util.Objects::nonNull)
                    .max(java.util.Comparator.comparingDouble(r -> r.oraclePct().mean())).orElseThrow();
        }
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int seeds = 20;
        int threads = Runtime.getRuntime().availableProcessors();
        List<Scenario> scenarios = new ArrayList<>();
        Path obd = null;
        boolean runObd = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--scenario" -> scenarios.add(ScenarioParser.parse(Path.of(args[++i])));
                case "--obd" -> obd = Path.of(args[++i]);
                case "--no-obd" -> runObd = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: EvalMain [--seeds N] [--threads T] [--obd DIR | --no-obd] [--scenario FILE.json ...]");
            }
        }
        if (scenarios.isEmpty()) {
            for (String name : BUILT_IN) {
                scenarios.add(ScenarioParser.parseResource("/scenarios/" + name + ".json"));
            }
        }
        long t0 = System.nanoTime();
        List<Policy> policies = Policies.defaults();
        List<ScenarioResult> results = simulate(scenarios, policies, seeds, threads);
        for (ScenarioResult r : results) {
            printTable(r, seeds);
        }
        System.out.printf("simulation took %.1f s on %d threads%n", (System.nanoTime() - t0) / 1e9, threads);
        if (runObd) {
            ObdReport.print(obd);
        }
        System.out.println(summary(results));
    }

    static List<ScenarioResult> simulate(List<Scenario> scenarios, List<Policy> policies, int seeds, int threads)
            throws Exception {
        Simulator sim = new Simulator(LearningConfig.DEFAULT);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Map<Scenario, Map<String, List<Future<Simulator.Result>>>> futures = new LinkedHashMap<>();
            for (Scenario sc : scenarios) {
                Map<String, List<Future<Simulator.Result>>> byPolicy = new LinkedHashMap<>();
                for (Policy p : policies) {
                    List<Future<Simulator.Result>> fs = new ArrayList<>();
                    for (int s = 0; s < seeds; s++) {
                        long seed = 1_000_003L * (s + 1);
                        fs.add(pool.submit(() -> sim.run(sc, p, seed)));
                    }
                    byPolicy.put(p.name(), fs);
                }
                futures.put(sc, byPolicy);
            }
            List<ScenarioResult> out = new ArrayList<>();
            for (var e : futures.entrySet()) {
                Map<String, double[][]> raw = new LinkedHashMap<>();
                for (var p : e.getValue().entrySet()) {
                    double[][] v = new double[3][seeds];
                    for (int s = 0; s < seeds; s++) {
                        Simulator.Result r = p.getValue().get(s).get();
                        v[0][s] = r.epc();
                        v[1][s] = r.oraclePct();
                    }
                    raw.put(p.getKey(), v);
                }
                double[] uniform = raw.get(UniformPolicy.NAME)[0];
                Map<String, Row> rows = new LinkedHashMap<>();
                raw.forEach((name, v) -> {
                    for (int s = 0; s < seeds; s++) {
                        v[2][s] = 100 * (v[0][s] / uniform[s] - 1);
                    }
                    rows.put(name, new Row(name, SeedStats.of(v[0]), SeedStats.of(v[1]), SeedStats.of(v[2])));
                });
                out.add(new ScenarioResult(e.getKey(), rows));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static void printTable(ScenarioResult r, int seeds) {
        Scenario sc = r.scenario();
        System.out.printf("%nscenario %s: %d offers, %.0f days, %.0f clicks/day, state refreshed every %d min, "
                        + "%d seeds, measured from day %.0f%n", sc.name(), sc.offers().size(), sc.days(),
                sc.clicksPerDay(), sc.updateEveryMinutes(), seeds, sc.reportFromDay());
        System.out.printf("| %-13s | %8s | %-21s | %-23s |%n", "policy", "EPC", "% of oracle (95% CI)",
                "lift vs uniform % (CI)");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(15), "-".repeat(10), "-".repeat(23), "-".repeat(25));
        for (Row row : r.rows().values()) {
            System.out.printf("| %-13s | %8.4f | %6.1f [%5.1f, %5.1f] | %+6.1f [%+6.1f, %+6.1f] |%n", row.policy(),
                    row.epc().mean(), row.oraclePct().mean(), row.oraclePct().low(), row.oraclePct().high(),
                    row.liftPct().mean(), row.liftPct().low(), row.liftPct().high());
        }
    }

    /**
     * "Our best policy" is, per scenario, the better of thompson-epc and contextual. It beats the
     * baselines when, in every scenario, its mean share of the oracle is above both heuristics'
     * and the upper end of its lift-over-uniform interval is not below zero.
     */
    static String summary(List<ScenarioResult> results) {
        double min = Double.POSITIVE_INFINITY;
        boolean beats = true;
        Map<String, Double> byName = new LinkedHashMap<>();
        for (ScenarioResult r : results) {
            Row best = r.bestOurs();
            min = Math.min(min, best.oraclePct().mean());
            byName.put(r.scenario().name(), best.oraclePct().mean());
            for (String h : HEURISTICS) {
                Row hr = r.rows().get(h);
                if (hr != null && hr.oraclePct().mean() >= best.oraclePct().mean()) {
                    beats = false;
                }
            }
            if (best.liftPct().high() < 0) {
                beats = false;
            }
        }
        double lift = results.stream().filter(r -> r.scenario().name().equals("stationary"))
                .mapToDouble(r -> r.bestOurs().liftPct().mean()).findFirst().orElse(Double.NaN);
        return String.format("scenarios=%d min_oracle_pct=%.1f stationary_oracle_pct=%.1f swap_oracle_pct=%.1f "
                        + "drift_oracle_pct=%.1f lift_vs_uniform_pct=%.1f beats_baselines=%s", results.size(), min,
                byName.getOrDefault("stationary", Double.NaN), byName.getOrDefault("swap", Double.NaN),
                byName.getOrDefault("drift", Double.NaN), lift, beats);
    }
}
