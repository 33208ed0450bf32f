package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;

import java.util.List;
import java.util.Map;

/** Fixed split set by the link owner; offers without a weight get {@code defaultWeight}. */
public final class WeightsPolicy implements Policy {

    public static final String NAME = "weights";

    public record Config(Map<String, Double> weights, double defaultWeight) {
        public Config {
            weights = Map.copyOf(weights);
            if (defaultWeight < 0 || weights.values().stream().anyMatch(w -> !(w >= 0))) {
                throw new IllegalArgumentException("weights must be >= 0");
            }
        }
    }

    private final Config config;

    public WeightsPolicy(Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public double[] probabilities(List<Arm> candidates, Context context, PolicyState state) {
        double[] w = new double[candidates.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = config.weights().getOrDefault(candidates.get(i).offerId(), config.defaultWeight());
        }
        return Probabilities.normalise(w);
    }
}
