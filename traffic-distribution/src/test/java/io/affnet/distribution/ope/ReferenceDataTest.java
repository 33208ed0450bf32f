package io.affnet.distribution.ope;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceDataTest {

    @Test
    void recognisesTheRootPomButNotAModuleNamingAffnetAsParent() {
        assertThat(ReferenceData.declaresAffnet("<project><artifactId>affnet</artifactId><modules/></project>")).isTrue();
        assertThat(ReferenceData.declaresAffnet("<project><parent><artifactId>affnet</artifactId></parent>"
                + "<artifactId>traffic-distribution</artifactId></project>")).isFalse();
    }

    @Test
    void findsTheObdSampleInsideTheRepository() {
        Path csv = ReferenceData.obdDir().resolve("random/men/men.csv");
        assertThat(csv).isRegularFile();
        assertThat(csv.toAbsolutePath().normalize()).startsWith(ReferenceData.repositoryRoot());
    }
}
