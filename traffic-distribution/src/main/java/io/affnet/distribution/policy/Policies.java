package io.affnet.distribution.policy;

import io.affnet.distribution.Policy;

import java.util.List;
import java.util.Map;

/** The policies with their default configurations, by name. */
public final class Policies {

    private Policies() {
    }

    public static List<Policy> defaults() {
        return List.of(new UniformPolicy(), new WeightsPolicy(new WeightsPolicy.Config(Map.of(), 1)),
                new BinomLikePolicy(BinomLikePolicy.Config.DEFAULT), new VoluumLikePolicy(VoluumLikePolicy.Config.DEFAULT),
                new ThompsonEpcPolicy(), new ContextualThompsonPolicy());
    }

    public static Policy byName(String name) {
        return defaults().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown policy '" + name + "'"));
    }
}
