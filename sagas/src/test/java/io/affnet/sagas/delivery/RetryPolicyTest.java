package io.affnet.sagas.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static OutboundProperties props(boolean retryOn404) {
        return new OutboundProperties("k", true, Duration.ofSeconds(10), 5, Duration.ofHours(1), Duration.ofSeconds(10),
                Duration.ofMinutes(5), Duration.ofSeconds(30), 10, retryOn404, Duration.ofMillis(250), 100, 32, 50, 2, null, Duration.ofSeconds(60));
    }

    private final RetryPolicy policy = new RetryPolicy(props(false), () -> 1.0);

    @Test
    void successIsDeliveredAndClientErrorsAreNotRetried() {
        assertThat(policy.decide(204, 1, Duration.ZERO, null).kind()).isEqualTo(RetryPolicy.Kind.DELIVERED);
        for (int status : new int[]{400, 401, 403, 404, 410, 422, 301, 302}) {
            assertThat(policy.decide(status, 1, Duration.ZERO, null).kind()).as("" + status).isEqualTo(RetryPolicy.Kind.DEAD);
        }
        assertThat(new RetryPolicy(props(true)).decide(404, 1, Duration.ZERO, null).kind()).isEqualTo(RetryPolicy.Kind.RETRY);
    }

    @Test
    void networkErrorsTimeoutsThrottlingAndServerErrorsAreRetriedUntilTheLastAttempt() {
        for (int status : new int[]{0, 408, 429, 500, 502, 503, 504}) {
            assertThat(policy.decide(status, 1, Duration.ZERO, null).kind()).as("" + status).isEqualTo(RetryPolicy.Kind.RETRY);
        }
        assertThat(policy.decide(500, 5, Duration.ZERO, null).kind()).isEqualTo(RetryPolicy.Kind.DEAD);
    }

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        RetryPolicy low = new RetryPolicy(props(false), () -> 0.0);
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(low.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.backoff(20)).isEqualTo(Duration.ofMinutes(5));
        assertThat(low.backoff(40)).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void retryAfterIsHonouredUpToTheCapAndTheTotalTimeIsBounded() {
        assertThat(policy.decide(429, 1, Duration.ZERO, Duration.ofSeconds(90)).delay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.decide(503, 1, Duration.ZERO, Duration.ofHours(3)).delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.decide(500, 2, Duration.ofMinutes(59).plusSeconds(50), null).kind()).isEqualTo(RetryPolicy.Kind.DEAD);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(PostbackSender.retryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(PostbackSender.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(PostbackSender.retryAfter("soon")).isNull();
    }
}
