package io.affnet.distribution.ope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedDataTest {

    @Test
    void recognisesTheRootPomButNotAModuleNamingAffnetAsParent() {
        assertThat(SharedData.declaresAffnet("<project><artifactId>affnet</artifactId><modules/></project>")).isTrue();
        assertThat(SharedData.declaresAffnet("<project><parent><artifactId>affnet</artifactId></parent>"
                + "<artifactId>traffic-distribution</artifactId></project>")).isFalse();
    }

    @Test
    void findsTheObdSampleFromTheModuleDirectory() {
        assertThat(SharedData.obdDir().resolve("random/men/men.csv")).isRegularFile();
    }
}
