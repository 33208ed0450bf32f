package io.affnet.platform.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short variant of {@code ./affnet bench soak} in {@code ./affnet test} (issue 17): one minute of the soak's mixed
 * load (clicks, postbacks with repeats, outbound postbacks to a local receiver, earnings) at half the node's measured
 * mixed capacity, judged by the soak's targets: no error (every click 302, every postback 200, none failed or left
 * unstarted, every accepted conversion's outbound postback received), heap growth after full GC at most 50 MB, every
 * processor's lag at most 2 s. The 30-minute run is the bench's default (docs/operations.md, Soak).
 */
class SoakIT {

    @Test
    void aMinuteAtHalfTheMixedCapacityMeetsTheSoakTargets() throws Exception {
        SoakBench.Outcome outcome = new SoakBench().run(1, "", false);
        Map<String, String> f = outcome.figures();
        String shown = outcome.detail() + "\n" + outcome.lagDetail() + "\n" + outcome.line();
        assertThat(Long.parseLong(f.get("clicks"))).as(shown).isPositive();
        assertThat(Long.parseLong(f.get("postbacks"))).as(shown).isPositive();
        assertThat(Long.parseLong(f.get("errors"))).as(shown).isZero();
        assertThat(Long.parseLong(f.get("heap_growth_mb"))).as(shown).isLessThanOrEqualTo(50);
        assertThat(Double.parseDouble(f.get("lag_max_s"))).as(shown).isLessThanOrEqualTo(2.0);
    }
}
