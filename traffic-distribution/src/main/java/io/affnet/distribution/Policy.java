package io.affnet.distribution;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks one offer among the eligible candidates of a smart link. Implementations read memory only:
 * everything they learn comes from the {@link PolicyState} snapshot, and anything expensive to
 * derive from it is memoised in the snapshot, so the per-click cost stays a few microseconds.
 */
public interface Policy {

    String name();

    int version();

    /**
     * The probability of choosing each candidate, in candidate order, summing to 1. Exact for the
     * closed-form policies; a Monte-Carlo estimate, fixed for the lifetime of the state, for the
     * Thompson-sampling ones.
     */
    double[] probabilities(List<Arm> candidates, Context context, PolicyState state);

    /** Candidates must already exclude capped, paused and not-allowed offers. */
    default Decision choose(List<Arm> candidates, Context context, PolicyState state, RandomGenerator random) {
        if (candidates.isEmpty()) {
            return Decision.none(name(), version());
        }
        double[] p = probabilities(candidates, context, state);
        int chosen = Probabilities.sample(p, random);
        String[] ids = new String[candidates.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = candidates.get(i).offerId();
        }
        return new Decision(ids[chosen], p[chosen], name(), version(), List.of(ids));
    }
}
