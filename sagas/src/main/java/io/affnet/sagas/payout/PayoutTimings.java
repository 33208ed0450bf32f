package io.affnet.sagas.payout;

import java.time.Duration;

/**
 * How long the payout saga waits: between retries after an ambiguous or rate-limited answer (doubling
 * from {@code firstRetry} to {@code maxRetry}), between polls of a pending payout (doubling from
 * {@code firstPoll} to {@code maxPoll}), before it gives up on a payout no processor answer settles
 * ({@code giveUp}), and how long after payment it still listens for a return or reversal ({@code watch}).
 */
public record PayoutTimings(Duration firstRetry, Duration maxRetry, Duration firstPoll, Duration maxPoll,
                            Duration giveUp, Duration watch) {

    public Duration retryAfter(int attempt) {
        return backoff(firstRetry, maxRetry, attempt);
    }

    public Duration pollAfter(int polls) {
        return backoff(firstPoll, maxPoll, polls);
    }

    private static Duration backoff(Duration first, Duration max, int n) {
        Duration d = first;
        for (int i = 1; i < n && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
