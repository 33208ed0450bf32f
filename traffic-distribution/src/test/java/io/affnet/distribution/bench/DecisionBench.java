package io.affnet.distribution.bench;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.policy.Policies;
import io.affnet.distribution.state.StatsAccumulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one decision on the click path: a smart link with 8 offers and a state trained on
 * 40,000 clicks in 8 contexts. {@code decide} reads a published snapshot (the steady state);
 * {@code refresh} is the first decision after a new snapshot, which pays for the Monte-Carlo
 * propensities once. Run: {@code DecisionBench [quick]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBench {

    @Param({"uniform", "weights", "binom", "voluum", "thompson-epc", "contextual"})
    public String policyName;

    private Policy policy;
    private List<Arm> arms;
    private Context[] contexts;
    private PolicyState state;
    private StatsAccumulator acc;
    private SplittableRandom random;
    private long now;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        policy = Policies.byName(policyName);
        arms = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            arms.add(new Arm("offer-" + k, 5 + k));
        }
        contexts = new Context[8];
        for (int c = 0; c < contexts.length; c++) {
            contexts[c] = new Context(c % 2 == 0 ? "US" : "DE", c % 4 < 2 ? "mobile" : "desktop", "src" + c % 3, c * 3);
        }
        acc = new StatsAccumulator("bench", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(1);
        now = 1_700_000_000_000L;
        for (int n = 0; n < 40_000; n++) {
            long t = now - 48 * 3_600_000L + n * 4_000L;
            int k = r.nextInt(8);
            Context ctx = contexts[r.nextInt(8)];
            acc.recordClick(arms.get(k).offerId(), ctx, t);
            if (r.nextDouble() < 0.01 + 0.003 * k) {
                acc.recordConversion(arms.get(k).offerId(), ctx, t, t + r.nextInt(20 * 3_600_000), 5 + k);
            }
        }
        state = acc.snapshot(now);
        random = new SplittableRandom(2);
    }

    @Benchmark
    public Object decide() {
        return policy.choose(arms, contexts[i++ & 7], state, random);
    }

    @Benchmark
    public Object refresh() {
        PolicyState fresh = new PolicyState(state.linkId(), now, state.version() + (++i), state.config(),
                state.allStats(), state.allDelays());
        return policy.choose(arms, contexts[i & 7], fresh, random);
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        boolean quick = args.length > 0 && args[0].equals("quick");
        // forking needs the class path on the command line; under a launcher that hides it, run in-process
        boolean canFork = System.getProperty("java.class.path", "").contains("jmh-core");
        Options options = new OptionsBuilder()
                .include(DecisionBench.class.getName())
                .forks(canFork ? 1 : 0)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(1))
                .threads(1)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<String> refresh = new ArrayList<>();
        List<String> steady = new ArrayList<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getParam("policyName");
            var stats = rr.getPrimaryResult().getStatistics();
            String line = String.format("policy=%s p50_us=%.2f p99_us=%.2f", name, stats.getPercentile(50),
                    stats.getPercentile(99));
            if (rr.getParams().getBenchmark().endsWith("refresh")) {
                refresh.add(line.replace("policy=" + name, "refresh policy=" + name));
            } else {
                steady.add(line);
            }
        }
        refresh.forEach(System.out::println);
        steady.forEach(System.out::println);
    }
}
