package io.affnet.platform.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The platform's {@link Clock} with an offset that can be changed while it runs: what the chaos harness
 * ({@code ./affnet chaos --scenario clock-step}) steps by +5 and -5 minutes to simulate a node whose clock
 * jumps, without touching the machine's clock (which needs root and would step every process on it).
 * Only wired when {@code affnet.clock.steppable=true} (tests); otherwise the platform runs on
 * {@link Clock#systemUTC()}. What it moves: every time the platform takes from its Clock bean (click and
 * conversion times, caps' days, reports, payouts); not Axon's event timestamps, db-scheduler, Redis TTLs or
 * the database's {@code now()} (docs/operations.md, Faults).
 */
public final class SteppableClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public SteppableClock(Clock base) {
        this.base = base;
    }

    public Duration offset() {
        return offset;
    }

    public void offset(Duration offset) {
        this.offset = offset;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        SteppableClock other = new SteppableClock(base.withZone(zone));
        other.offset = offset;
        return other;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public long millis() {
        return base.millis() + offset.toMillis();
    }
}
