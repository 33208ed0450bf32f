package io.affnet.sagas.payout.processor;

import java.time.Duration;

/** The answer to {@link PayoutProcessor#submit}. */
public sealed interface SubmitOutcome {

    /** The processor holds the payout (new, or replayed/adopted for the same keys). */
    record Accepted(ProcessorPayout payout) implements SubmitOutcome {
    }

    /**
     * The processor refused it with no effect (invalid destination, insufficient platform balance,
     * unsupported currency): definitive for this attempt.
     */
    record Rejected(String code, String message) implements SubmitOutcome {
    }

    /** The effect is unknown (timeout, connection reset, 5xx): reconcile with {@code find} first. */
    record Ambiguous(String reason) implements SubmitOutcome {
    }

    /** Told to wait (429, 409 in progress); nothing took effect. */
    record RetryLater(Duration after, String reason) implements SubmitOutcome {
    }
}
