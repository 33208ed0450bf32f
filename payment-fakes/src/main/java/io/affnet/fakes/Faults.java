package io.affnet.fakes;

import java.time.Duration;
import java.util.Random;

/**
 * What goes wrong at a fake, drawn from one seeded RNG so a failing run replays from its seed. Each
 * request that changes state draws once: a transient refusal before any effect (429, Stripe's 409, a
 * PayPal 503), or an ambiguous commit (the effect is applied, then the connection is dropped, a 500 is
 * answered, or the answer comes later than the client's read timeout). Webhooks are delayed (up to
 * {@code webhookMaxDelay}), duplicated, and so reordered.
 *
 * @param transient probability of a refusal with no effect
 * @param ambiguous probability of an ambiguous commit
 * @param slowAnswer how long an ambiguous "late" answer waits (set it above the client's read timeout)
 */
public record Faults(long seed, double transientRefusal, double ambiguous, Duration slowAnswer,
                     double webhookDuplicate, Duration webhookMaxDelay) {

    /** The kind of fault drawn for one state-changing request. */
    public enum Draw { NONE, RATE_LIMITED, RATE_LIMITED_SHOULD_RETRY, CONFLICT, UNAVAILABLE, COMMIT_THEN_DROP, COMMIT_THEN_500, COMMIT_THEN_SLOW }

    public static Faults none() {
        return new Faults(0, 0, 0, Duration.ZERO, 0, Duration.ZERO);
    }

    public static Faults seeded(long seed, double transientRefusal, double ambiguous, Duration slowAnswer) {
        return new Faults(seed, transientRefusal, ambiguous, slowAnswer, 0, Duration.ZERO);
    }

    public Faults withWebhooks(double duplicate, Duration maxDelay) {
        return new Faults(seed, transientRefusal, ambiguous, slowAnswer, duplicate, maxDelay);
    }

    /** The RNG a fake draws from; one per fake, created from the seed. */
    public Random rng() {
        return new Random(seed);
    }

    @Override
    public String toString() {
        return "Faults[seed=" + seed + ", transient=" + transientRefusal + ", ambiguous=" + ambiguous
                + ", slowAnswer=" + slowAnswer + ", webhookDuplicate=" + webhookDuplicate + ", webhookMaxDelay=" + webhookMaxDelay + "]";
    }
}
