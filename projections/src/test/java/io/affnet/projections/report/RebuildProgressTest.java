package io.affnet.projections.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RebuildProgressTest {

    @Test
    void percentIsTheShareOfEventsReplayedRoundedDownToATenth() {
        assertThat(ReportRebuild.progress(1, 3, Duration.ofSeconds(1)).percent()).isEqualTo(33.3);
        assertThat(ReportRebuild.progress(2, 3, Duration.ofSeconds(1)).percent()).isEqualTo(66.6);
        assertThat(ReportRebuild.progress(3, 3, Duration.ofSeconds(1)).percent()).isEqualTo(100.0);
    }

    @Test
    void etaIsTheRemainingEventsAtTheRateSoFar() {
        io.affnet.api.report.ReportRebuilds.Progress p = ReportRebuild.progress(250, 1000, Duration.ofSeconds(10));
        assertThat(p.etaSeconds()).isEqualTo(30L);
        assertThat(ReportRebuild.progress(1000, 1000, Duration.ofSeconds(40)).etaSeconds()).isZero();
    }

    @Test
    void noEtaBeforeTheFirstEventAndAnEmptyStoreIsDone() {
        assertThat(ReportRebuild.progress(0, 1000, Duration.ofSeconds(5)).etaSeconds()).isNull();
        assertThat(ReportRebuild.progress(0, 0, Duration.ZERO).percent()).isEqualTo(100.0);
        assertThat(ReportRebuild.progress(1200, 1000, Duration.ofSeconds(5)).eventsDone()).isEqualTo(1000);
    }
}
