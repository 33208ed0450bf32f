package io.affnet.distribution.eval;

import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.policy.ThompsonEpcPolicy;
import io.affnet.distribution.policy.UniformPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulatorTest {

    private static final String SCENARIO = """
            {"name": "short", "days": 3, "clicks_per_day": 14400, "update_every_minutes": 5,
             "delay": {"kind": "exponential", "mean_hours": 2},
             "offers": [{"id": "A", "payout": 10, "cvr": [{"from_day": 0, "value": 0.03}]},
                        {"id": "B", "payout": 10, "cvr": [{"from_day": 0, "value": 0.01}]}]}
            """;

    private final Simulator sim = new Simulator(LearningConfig.DEFAULT);
    private final Scenario scenario = ScenarioParser.parse(SCENARIO, "test");

    @Test
    void uniformEarnsTheMeanOfTheOffers() {
        Simulator.Result r = sim.run(scenario, new UniformPolicy(), 1);
        assertThat(r.clicks()).isEqualTo(3 * 14400);
        assertThat(r.oracleEpc()).isCloseTo(0.3, within(1e-9));
        assertThat(r.epc()).isCloseTo(0.2, within(0.005));
    }

    @Test
    void thompsonLearnsFromDelayedFeedbackAndApproachesTheOracle() {
        Simulator.Result r = sim.run(scenario, new ThompsonEpcPolicy(), 1);
        assertThat(r.oraclePct()).isGreaterThan(90);
    }

    @Test
    void sameSeedGivesTheSameResult() {
        assertThat(sim.run(scenario, new ThompsonEpcPolicy(), 5)).isEqualTo(sim.run(scenario, new ThompsonEpcPolicy(), 5));
    }
}
