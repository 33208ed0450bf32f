package io.affnet.distribution.policy;

import io.affnet.distribution.Decision;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.affnet.distribution.TestStates.CTX;
import static io.affnet.distribution.TestStates.arms;
import static org.assertj.core.api.Assertions.assertThat;

class UniformPolicyTest {

    private final PolicyState state = PolicyState.empty("l", LearningConfig.DEFAULT);

    @Test
    void propensityIsExactlyOneOverK() {
        Decision d = new UniformPolicy().choose(arms("a", "b", "c", "d", "e", "f", "g"), CTX, state,
                new SplittableRandom(1));
        assertThat(d.propensity()).isEqualTo(1.0 / 7);
        assertThat(d.candidateIds()).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(d.policyName()).isEqualTo("uniform");
    }

    @Test
    void returnsEmptyDecisionWhenNoCandidateIsEligible() {
        Decision d = new UniformPolicy().choose(List.of(), CTX, state, new SplittableRandom(1));
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.chosenOfferId()).isNull();
    }
}
