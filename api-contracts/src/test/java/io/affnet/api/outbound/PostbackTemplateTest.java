package io.affnet.api.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostbackTemplateTest {

    @Test
    void theMostSpecificScopeScoresHighest() {
        PostbackTemplate global = new PostbackTemplate(null, null, PostbackMethod.GET, "https://a/");
        PostbackTemplate offer = new PostbackTemplate("o1", null, PostbackMethod.GET, "https://a/");
        PostbackTemplate goal = new PostbackTemplate("o1", "sale", PostbackMethod.GET, "https://a/");
        assertThat(global.specificityFor("o1", "sale")).isZero();
        assertThat(offer.specificityFor("o1", "sale")).isEqualTo(1);
        assertThat(goal.specificityFor("o1", "sale")).isEqualTo(2);
        assertThat(goal.specificityFor("o1", "lead")).isNegative();
        assertThat(offer.specificityFor("o2", "sale")).isNegative();
    }
}
