package io.affnet.command.distribution;

import io.affnet.api.click.Decision;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.command.click.ClickService;
import io.affnet.command.click.OfferSelector;
import io.affnet.distribution.Arm;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.SmartLinkDecider;
import io.affnet.distribution.policy.Policies;
import io.affnet.distribution.state.StateCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    public static final String DEFAULT_POLICY = SmartLinkPolicies.DEFAULT_POLICY;

    private final SmartLinkDecider decider = new SmartLinkDecider(Policies.byName(DEFAULT_POLICY), LearningConfig.DEFAULT);
    private final LearningStates states;
    private final Map<String, String> tenantOfLink = new ConcurrentHashMap<>();
    private final Map<String, String> policyOfLink = new ConcurrentHashMap<>();
    private final Map<String, Long> loadedVersion = new ConcurrentHashMap<>();

    public SmartLinkSelector(LearningStates states) {
        this.states = states;
    }

    @Override
    public Selection select(CachedLink link, List<CachedOffer> eligible, ClickService.Visit visit, Instant now) {
        tenantOfLink.putIfAbsent(link.linkId(), link.tenantId());
        usePolicy(link);
        List<Arm> arms = new ArrayList<>(eligible.size());
        Map<String, CachedOffer> byId = new HashMap<>();
        for (CachedOffer offer : eligible) {
            arms.add(SmartLinkPolicies.arm(offer.offerId(), offer.terms()));
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

    private void usePolicy(CachedLink link) {
        String name = link.settings().policy() == null ? DEFAULT_POLICY : link.settings().policy();
        String signature = name + link.settings().policyParams();
        if (signature.equals(policyOfLink.get(link.linkId()))) {
            return;
        }
        decider.usePolicy(link.linkId(), SmartLinkPolicies.of(name, link.settings().policyParams()));
        policyOfLink.put(link.linkId(), signature);
    }

    /** Reloads the learning state of every link this node serves; called on a schedule. */
    public void refresh() {
        tenantOfLink.forEach((linkId, tenantId) -> {
            try {
                Map<String, String> encoded = states.encoded(tenantId, linkId);
                if (encoded.isEmpty()) {
                    return;
                }
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
