package io.affnet.platform.ops;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class SteppableClockTest {

    private static final Instant T = Instant.parse("2026-12-06T23:58:00Z");

    @Test
    void theOffsetStepsInstantAndMillisBothWaysAndSurvivesAChangeOfZone() {
        SteppableClock clock = new SteppableClock(Clock.fixed(T, ZoneOffset.UTC));
        assertThat(clock.instant()).isEqualTo(T);
        clock.offset(Duration.ofMinutes(5));
        assertThat(clock.instant()).isEqualTo(T.plusSeconds(300));
        assertThat(clock.millis()).isEqualTo(T.plusSeconds(300).toEpochMilli());
        Clock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));
        assertThat(berlin.instant()).isEqualTo(T.plusSeconds(300));
        assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        clock.offset(Duration.ofMinutes(-5));
        assertThat(clock.instant()).isEqualTo(T.minusSeconds(300));
        assertThat(clock.millis()).isEqualTo(T.minusSeconds(300).toEpochMilli());
    }
}
