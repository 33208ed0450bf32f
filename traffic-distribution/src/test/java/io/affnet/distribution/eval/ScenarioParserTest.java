package io.affnet.distribution.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioParserTest {

    private static final String VALID = """
            {"name": "t", "days": 2, "clicks_per_day": 1000, "update_every_minutes": 5,
             "delay": {"kind": "lognormal", "mu": 1.5, "sigma": 0.8},
             "segments": [{"name": "mobile", "share": 0.7}, {"name": "desktop", "share": 0.3, "country": "DE"}],
             "offers": [
               {"id": "A", "payout": 10, "cvr": [{"from_day": 1, "value": 0.03}, {"from_day": 0, "value": 0.02}],
                "segment_factor": {"mobile": 1.5}, "active": [{"from_day": 0, "to_day": 1.5}]},
               {"id": "B", "payout": 20, "cvr": [{"from_day": 0, "value": 0.01}]}]}
            """;

    @Test
    void parsesEveryBuiltInScenario() {
        for (String name : EvalMain.BUILT_IN) {
            Scenario s = ScenarioParser.parseResource("/scenarios/" + name + ".json");
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.days()).isEqualTo(14);
            assertThat(s.offers()).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void parsesAllFieldsOfTheFormat() {
        Scenario s = ScenarioParser.parse(VALID, "inline");
        assertThat(s.delay()).isEqualTo(new Scenario.LogNormal(1.5, 0.8));
        assertThat(s.segments().get(1).context().country()).isEqualTo("DE");
        assertThat(s.segments().get(0).context().deviceClass()).isEqualTo("mobile");
        Scenario.Offer a = s.offers().get(0);
        assertThat(a.cvrAt(0.5, "desktop")).isEqualTo(0.02);
        assertThat(a.cvrAt(1.2, "mobile")).isCloseTo(0.045, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(a.activeAt(1.4)).isTrue();
        assertThat(a.activeAt(1.6)).isFalse();
        assertThat(s.offers().get(1).activeAt(13)).isTrue();
    }

    @Test
    void rejectsBadInputWithAClearMessage() {
        assertThatThrownBy(() -> ScenarioParser.parse("{\"name\": \"t\"", "inline"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ScenarioParser.parse("[]", "inline"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> ScenarioParser.parse("{\"days\": 1}", "inline"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'name' is required");
        assertThatThrownBy(() -> ScenarioParser.parse("{\"name\": \"t\", \"days\": -1}", "inline"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scenario 't': 'days' must be > 0, got -1.0");
    }

    @Test
    void namesTheOffendingOfferField() {
        String badRate = VALID.replace("\"value\": 0.01", "\"value\": 1.5");
        assertThatThrownBy(() -> ScenarioParser.parse(badRate, "inline"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scenario 't' offers[1].cvr[0]: value must be a rate in [0, 1], got 1.5");
        String badSegment = VALID.replace("{\"mobile\": 1.5}", "{\"tablet\": 1.5}");
        assertThatThrownBy(() -> ScenarioParser.parse(badSegment, "inline"))
                .hasMessageContaining("segment_factor names unknown segment 'tablet'");
        String badDelay = VALID.replace("lognormal", "gamma");
        assertThatThrownBy(() -> ScenarioParser.parse(badDelay, "inline"))
                .hasMessageContaining("delay.kind must be exponential or lognormal, got 'gamma'");
        String badShares = VALID.replace("\"share\": 0.3", "\"share\": 0.5");
        assertThatThrownBy(() -> ScenarioParser.parse(badShares, "inline"))
                .hasMessageContaining("segment shares must sum to 1");
    }
}
