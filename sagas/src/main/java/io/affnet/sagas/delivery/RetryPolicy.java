package io.affnet.sagas.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * What to do after an attempt: done, try again later (network errors, 408, 429, 5xx, optionally 404),
 * or give up. Backoff doubles from the initial wait up to the maximum with "equal jitter" (half fixed,
 * half random), so receivers recovering from an outage are not hit by every retry at once.
 */
public final class RetryPolicy {

    /** The verdict on one attempt. {@code delay} is set for {@link Kind#RETRY}. */
    public record Decision(Kind kind, Duration delay) {
    }

    public enum Kind { DELIVERED, RETRY, DEAD }

    private final OutboundProperties properties;
    private final DoubleSupplier random;

    public RetryPolicy(OutboundProperties properties) {
        this(properties, () -> ThreadLocalRandom.current().nextDouble());
    }

    RetryPolicy(OutboundProperties properties, DoubleSupplier random) {
        this.properties = properties;
        this.random = random;
    }

    /**
     * @param status       the HTTP status, or 0 when no response arrived (network error, timeout)
     * @param roundAttempt the attempt's number within this round (1 = first)
     * @param roundAge     time since the round's first attempt
     * @param retryAfter   the response's Retry-After, or null
     */
    public Decision decide(int status, int roundAttempt, Duration roundAge, Duration retryAfter) {
        if (status >= 200 && status < 300) {
            return new Decision(Kind.DELIVERED, null);
        }
        if (!retryable(status) || roundAttempt >= properties.maxAttempts()) {
            return new Decision(Kind.DEAD, null);
        }
        Duration delay = backoff(roundAttempt);
        if (retryAfter != null && (status == 429 || status == 503)) {
            delay = retryAfter.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : retryAfter;
        }
        if (roundAge.plus(delay).compareTo(properties.maxAge()) > 0) {
            return new Decision(Kind.DEAD, null);
        }
        return new Decision(Kind.RETRY, delay);
    }

    public boolean retryable(int status) {
        return status == 0 || status == 408 || status == 429 || status >= 500 || (status == 404 && properties.retryOn404());
    }

    Duration backoff(int roundAttempt) {
        long initial = properties.initialBackoff().toMillis();
        long cap = properties.maxBackoff().toMillis();
        long exp = initial << Math.min(30, roundAttempt - 1);
        long ceiling = exp <= 0 || exp > cap ? cap : exp;
        return Duration.ofMillis(ceiling / 2 + (long) (random.getAsDouble() * (ceiling - ceiling / 2)));
    }
}
