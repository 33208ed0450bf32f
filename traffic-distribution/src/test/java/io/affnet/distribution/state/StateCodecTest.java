package io.affnet.distribution.state;

import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.HOUR;
import static io.affnet.distribution.TestStates.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateCodecTest {

    private PolicyState sample() {
        StatsAccumulator acc = new StatsAccumulator("link-42", LearningConfig.DEFAULT);
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < 3000; i++) {
            long t = T0 - 80 * HOUR + i * 90_000L;
            Context ctx = new Context(i % 3 == 0 ? "DE" : "US", i % 2 == 0 ? "mobile" : "desktop", "s" + i % 4, 0);
            String offer = "o" + i % 3;
            acc.recordClick(offer, ctx, t);
            if (r.nextDouble() < 0.05) {
                acc.recordConversion(offer, ctx, t, t + (long) (r.nextDouble() * 20 * HOUR), 1 + r.nextDouble() * 9);
            }
        }
        return acc.snapshot(T0);
    }

    @Test
    void roundTripsAStateExactly() {
        PolicyState state = sample();
        Map<String, String> encoded = StateCodec.encode(state);
        assertThat(encoded).containsKeys("format", "link", "asOf", "s|o1|*", "s|o1|dev=mobile", "d|o2");
        assertThat(StateCodec.decode(encoded)).isEqualTo(state);
    }

    @Test
    void roundTripsAnEmptyState() {
        PolicyState empty = PolicyState.empty("l", LearningConfig.DEFAULT);
        assertThat(StateCodec.decode(StateCodec.encode(empty))).isEqualTo(empty);
    }

    @Test
    void rejectsMalformedStateWithAClearMessage() {
        Map<String, String> m = new HashMap<>(StateCodec.encode(sample()));
        m.put("s|o1|*", "1,2,oops");
        assertThatThrownBy(() -> StateCodec.decode(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
        m.remove("s|o1|*");
        m.remove("link");
        assertThatThrownBy(() -> StateCodec.decode(m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'link'");
    }
}
