package io.affnet.distribution.policy;

import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Probabilities;

import java.util.List;

/** Every eligible offer equally likely: the baseline every other policy is measured against. */
public final class UniformPolicy implements Policy {

    public static final String NAME = "uniform";

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
        return Probabilities.uniform(candidates.size());
    }
}
