package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StatsAccumulator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.CTX;
import static io.affnet.distribution.TestStates.HOUR;
import static io.affnet.distribution.TestStates.T0;
import static io.affnet.distribution.TestStates.arms;
import static io.affnet.distribution.TestStates.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThompsonEpcPolicyTest {

    private final ThompsonEpcPolicy policy = new ThompsonEpcPolicy();
    private final List<Arm> abc = arms("a", "b", "c");

    private PolicyState trained(int clicksEach, double... cvr) {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < cvr.length; i++) {
            train(acc, CTX, abc.get(i).offerId(), clicksEach, cvr[i], T0 - 24 * HOUR, T0, r);
        }
        return acc.snapshot(T0);
    }

    @Test
    void withoutEvidenceEveryOfferIsEquallyLikely() {
        double[] p = policy.probabilities(abc, CTX, PolicyState.empty("l", LearningConfig.DEFAULT));
        assertThat(p[0]).isCloseTo(1.0 / 3, within(0.07));
        assertThat(p[1]).isCloseTo(1.0 / 3, within(0.07));
    }

    @Test
    void concentratesOnTheBestOfferAfterEnoughEvidence() {
        double[] p = policy.probabilities(abc, CTX, trained(5000, 0.01, 0.03, 0.015));
        assertThat(p[1]).isGreaterThan(0.9);
    }

    @Test
    void choosesByEarningsPerClickNotConversionRate() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 6000; i++) {
            long t = T0 - 24 * HOUR + i * 10_000L;
            acc.recordClick("cheap", CTX, t);
            acc.recordClick("rich", CTX, t);
            if (r.nextDouble() < 0.03) {
                acc.recordConversion("cheap", CTX, t, t + 1000, 5);
            }
            if (r.nextDouble() < 0.02) {
                acc.recordConversion("rich", CTX, t, t + 1000, 20);
            }
        }
        double[] p = policy.probabilities(List.of(new Arm("cheap", 5), new Arm("rich", 20)), CTX, acc.snapshot(T0));
        assertThat(p[1]).isGreaterThan(0.9);
    }

    @Test
    void keepsTheMinimumExplorationShareForClearlyWorseOffers() {
        double[] p = policy.probabilities(abc, CTX, trained(20_000, 0.005, 0.04, 0.005));
        double floor = ThompsonEpcPolicy.Config.DEFAULT.minExplorationShare() / 3;
        assertThat(p[0]).isGreaterThanOrEqualTo(floor - 1e-12).isLessThan(floor + 0.01);
        assertThat(p[2]).isGreaterThanOrEqualTo(floor - 1e-12);
    }

    @Test
    void coldStartGivesANewOfferItsForcedShareAndAnOptimisticPrior() {
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(2);
        train(acc, CTX, "a", 20_000, 0.01, T0 - 24 * HOUR, T0, r);
        train(acc, CTX, "b", 20_000, 0.03, T0 - 24 * HOUR, T0, r);
        double[] p = policy.probabilities(arms("a", "b", "new"), CTX, acc.snapshot(T0));
        assertThat(p[2]).isGreaterThanOrEqualTo(ThompsonEpcPolicy.Config.DEFAULT.coldStartShare());
        // optimistic: a new offer is expected to be as good as the best, so it wins a real share of draws
        assertThat(p[2]).isGreaterThan(ThompsonEpcPolicy.Config.DEFAULT.coldStartShare() + 0.05);
    }

    @Test
    void delayCorrectionReducesTheApparentPenaltyOfRecentClicks() {
        // both offers convert at 3% after 12 h on average; "old" got its clicks two to three days
        // ago, "busy" in the last six hours, so most of busy's conversions have not arrived yet
        SplittableRandom r = new SplittableRandom(9);
        List<long[]> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            addClick(events, 0, T0 - 72 * HOUR + i * 4_000L, r);
            addClick(events, 1, T0 - 6 * HOUR + i * 1_000L, r);
        }
        events.sort(Comparator.comparingLong(e -> e[0]));
        StatsAccumulator acc = new StatsAccumulator("l", LearningConfig.DEFAULT);
        String[] offer = {"old", "busy"};
        for (long[] e : events) {
            if (e[0] >= T0) {
                break;
            }
            if (e[2] < 0) {
                acc.recordClick(offer[(int) e[1]], CTX, e[0]);
            } else {
                acc.recordConversion(offer[(int) e[1]], CTX, e[2], e[0], 10);
            }
        }
        PolicyState state = acc.snapshot(T0);
        List<Arm> arms = arms("old", "busy");
        double corrected = new ThompsonEpcPolicy().probabilities(arms, CTX, state)[1];
        double naive = new ThompsonEpcPolicy(ThompsonEpcPolicy.Config.DEFAULT.withDelayCorrection(false))
                .probabilities(arms, CTX, state)[1];
        assertThat(naive).isLessThan(0.05);
        assertThat(corrected).isGreaterThan(naive + 0.1);
    }

    /** {time, offer, -1} for a click, {time, offer, clickTime} for its conversion. */
    private static void addClick(List<long[]> events, int offer, long t, SplittableRandom r) {
        events.add(new long[] {t, offer, -1});
        if (r.nextDouble() < 0.03) {
            events.add(new long[] {t + (long) (-Math.log(1 - r.nextDouble()) * 12 * HOUR), offer, t});
        }
    }

    @Test
    void loggedPropensityIsTheFrequencyOfTheChoice() {
        PolicyState state = trained(600, 0.02, 0.025, 0.015);
        SplittableRandom r = new SplittableRandom(4);
        double[] p = policy.probabilities(abc, CTX, state);
        int n = 40_000;
        int b = 0;
        for (int i = 0; i < n; i++) {
            var d = policy.choose(abc, CTX, state, r);
            if (d.chosenOfferId().equals("b")) {
                b++;
                assertThat(d.propensity()).isEqualTo(p[1]);
            }
        }
        assertThat(b / (double) n).isCloseTo(p[1], within(0.012));
    }
}
