package io.affnet.platform.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineRetriesTest {

    private static final Duration FIRST = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void theFirstRetryComesWithinASecondNotFiveMinutes() {
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, 1, 0.0)).isEqualTo(Duration.ofMillis(375));
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, 1, 1.0)).isEqualTo(Duration.ofMillis(625));
    }

    @Test
    void eachFailureDoublesTheWaitUpToTheCap() {
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, 2, 0.5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, 4, 0.5)).isEqualTo(Duration.ofMillis(4000));
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, 12, 0.5)).isEqualTo(MAX);
        assertThat(DeadlineRetries.Backoff.delay(FIRST, MAX, Integer.MAX_VALUE, 0.5)).as("no overflow").isEqualTo(MAX);
    }
}
