package io.affnet.command.distribution;

import io.affnet.api.click.Decision;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Goal;
import io.affnet.command.click.ClickService;
import io.affnet.command.click.OfferSelector;
import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.SmartLinkDecider;
import io.affnet.distribution.policy.Policies;
import io.affnet.distribution.policy.WeightsPolicy;
import io.affnet.distribution.state.StateCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the offer of a smart-link click with the link's policy, from the learning state in memory.
 * Every few seconds it reloads, for each link this node has served, the state the learning projection
 * keeps in Redis, so all nodes decide from the same statistics; the click itself never waits for Redis.
 */
public class SmartLinkSelector implements OfferSelector {

    private static final Logger log = LoggerFactory.getLogger(SmartLinkSelector.class);
    public static final String DEFAULT_POLICY = "thompson-epc";

    private final SmartLinkDecider decider = new SmartLinkDecider(Policies.byName(DEFAULT_POLICY), LearningConfig.DEFAULT);
    private final StringRedisTemplate redis;
    private final Map<String, String> tenantOfLink = new ConcurrentHashMap<>();
    private final Map<String, String> policyOfLink = new ConcurrentHashMap<>();
    private final Map<String, Long> loadedVersion = new ConcurrentHashMap<>();

    public SmartLinkSelector(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public Selection select(CachedLink link, List<CachedOffer> eligible, ClickService.Visit visit, Instant now) {
        tenantOfLink.putIfAbsent(link.linkId(), link.tenantId());
        usePolicy(link);
        List<Arm> arms = new ArrayList<>(eligible.size());
        Map<String, CachedOffer> byId = new HashMap<>();
        for (CachedOffer offer : eligible) {
            arms.add(new Arm(offer.offerId(), expectedPayout(offer)));
            byId.put(offer.offerId(), offer);
        }
        io.affnet.distribution.Decision d = decider.decide(link.linkId(), arms, context(visit, now));
        CachedOffer chosen = byId.get(d.chosenOfferId());
        return new Selection(chosen, new Decision(d.policyName(), Integer.toString(d.policyVersion()),
                d.candidateIds(), d.chosenOfferId(), d.propensity()));
    }

    public static Context context(ClickService.Visit visit, Instant at) {
        return new Context(visit.country() == null ? "?" : visit.country(), visit.deviceClass(),
                visit.subs().getOrDefault("source", "?"), at.atZone(ZoneOffset.UTC).getHour());
    }

    /** The payout of the offer's first goal in major units; a share of an unknown sale counts as 1. */
    public static double expectedPayout(CachedOffer offer) {
        if (offer.terms().goals().isEmpty()) {
            return 1;
        }
        Goal goal = offer.terms().goals().get(0);
        return goal.payout().kind() == Amount.Kind.FIXED ? Math.max(0.01, goal.payout().value() / 100.0) : 1;
    }

    private void usePolicy(CachedLink link) {
        String name = link.settings().policy() == null ? DEFAULT_POLICY : link.settings().policy();
        String signature = name + link.settings().policyParams();
        if (signature.equals(policyOfLink.get(link.linkId()))) {
            return;
        }
        Policy policy;
        if ("weights".equals(name)) {
            Map<String, Double> weights = new HashMap<>();
            link.settings().policyParams().forEach((k, v) -> {
                try {
                    weights.put(k, Double.parseDouble(v));
                } catch (NumberFormatException ignored) {
                    // a parameter that is not an offer weight
                }
            });
            policy = new WeightsPolicy(new WeightsPolicy.Config(weights, 1));
        } else {
            policy = Policies.byName(name);
        }
        decider.usePolicy(link.linkId(), policy);
        policyOfLink.put(link.linkId(), signature);
    }

    /** Reloads the learning state of every link this node serves; called on a schedule. */
    public void refresh() {
        tenantOfLink.forEach((linkId, tenantId) -> {
            try {
                Map<Object, Object> raw = redis.opsForHash().entries(DistributionKeys.state(tenantId, linkId));
                if (raw.isEmpty()) {
                    return;
                }
                Map<String, String> encoded = new HashMap<>();
                raw.forEach((k, v) -> encoded.put((String) k, (String) v));
                long version = Long.parseLong(encoded.getOrDefault("version", "0"));
                if (loadedVersion.getOrDefault(linkId, -1L) == version) {
                    return;
                }
                PolicyState state = StateCodec.decode(encoded);
                decider.publish(state);
                loadedVersion.put(linkId, version);
            } catch (RuntimeException e) {
                log.warn("Could not refresh the learning state of link {}: {}", linkId, e.toString());
            }
        });
    }

    public PolicyState state(String linkId) {
        return decider.state(linkId);
    }
}
