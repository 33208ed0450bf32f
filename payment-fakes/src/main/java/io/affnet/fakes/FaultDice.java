package io.affnet.fakes;

import java.util.Random;

/**
 * The seeded draws of one fake. Forced draws (queued by a test) come first, so a test can ask for
 * exactly "the next create commits and drops the connection" without any randomness.
 */
public final class FaultDice {

    private final Faults faults;
    private final Random rng;
    private final java.util.ArrayDeque<Faults.Draw> forced = new java.util.ArrayDeque<>();
    private final java.util.EnumMap<Faults.Draw, Integer> drawn = new java.util.EnumMap<>(Faults.Draw.class);

    public FaultDice(Faults faults) {
        this.faults = faults;
        this.rng = faults.rng();
    }

    public Faults faults() {
        return faults;
    }

    public synchronized void force(Faults.Draw draw) {
        forced.add(draw);
    }

    /** One draw for a state-changing request; {@code transients} are the refusals this provider makes. */
    public synchronized Faults.Draw draw(Faults.Draw... transients) {
        Faults.Draw d = drawOnce(transients);
        drawn.merge(d, 1, Integer::sum);
        return d;
    }

    /** How often each fault was drawn so far (what a run actually went through). */
    public synchronized java.util.Map<Faults.Draw, Integer> drawn() {
        return new java.util.EnumMap<>(drawn);
    }

    private Faults.Draw drawOnce(Faults.Draw... transients) {
        if (!forced.isEmpty()) {
            return forced.poll();
        }
        double r = rng.nextDouble();
        if (r < faults.transientRefusal() && transients.length > 0) {
            return transients[rng.nextInt(transients.length)];
        }
        if (r < faults.transientRefusal() + faults.ambiguous()) {
            Faults.Draw[] commits = {Faults.Draw.COMMIT_THEN_DROP, Faults.Draw.COMMIT_THEN_500, Faults.Draw.COMMIT_THEN_SLOW};
            return commits[rng.nextInt(commits.length)];
        }
        return Faults.Draw.NONE;
    }

    public synchronized boolean chance(double p) {
        return p > 0 && rng.nextDouble() < p;
    }

    public synchronized long upTo(long bound) {
        return bound <= 0 ? 0 : (long) (rng.nextDouble() * bound);
    }
}
