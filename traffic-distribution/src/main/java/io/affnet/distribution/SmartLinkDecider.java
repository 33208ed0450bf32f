package io.affnet.distribution;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The entry point of the click path: holds the latest state snapshot of every smart link and asks
 * the link's policy for an offer. Reads memory only; whoever folds conversions into statistics
 * (a projection) calls {@link #publish(PolicyState)} with each new snapshot, which replaces the old
 * one atomically.
 */
public final class SmartLinkDecider {

    private final Policy defaultPolicy;
    private final LearningConfig config;
    private final Map<String, PolicyState> states = new ConcurrentHashMap<>();
    private final Map<String, Policy> policies = new ConcurrentHashMap<>();

    public SmartLinkDecider(Policy defaultPolicy, LearningConfig config) {
        this.defaultPolicy = Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @param candidates the link's offers that are eligible for this click (not capped, paused or excluded) */
    public Decision decide(String linkId, List<Arm> candidates, Context context) {
        Policy policy = policies.getOrDefault(linkId, defaultPolicy);
        PolicyState state = states.get(linkId);
        if (state == null) {
            state = states.computeIfAbsent(linkId, id -> PolicyState.empty(id, config));
        }
        return policy.choose(candidates, context, state, ThreadLocalRandom.current());
    }

    public void publish(PolicyState state) {
        states.put(state.linkId(), state);
    }

    public void usePolicy(String linkId, Policy policy) {
        policies.put(linkId, policy);
    }

    public PolicyState state(String linkId) {
        return states.getOrDefault(linkId, PolicyState.empty(linkId, config));
    }
}
