package io.affnet.command.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.distribution.Arm;
import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.Policy;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Segments;
import io.affnet.api.offer.OfferTerms;
import io.affnet.distribution.state.StateCodec;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.affnet.command.config.ConfigLookup;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a smart link sends its traffic where it does: for each candidate offer, the probability the
 * policy gives it now (overall, and per segment where the policy is contextual) and the statistics
 * behind it. Lives beside the click path because it reads the same learning state with the same code.
 */
@RestController
public class DistributionController {

    private final ConfigLookup links;
    private final LearningStates states;

    public DistributionController(ConfigLookup links, LearningStates states) {
        this.links = links;
        this.states = states;
    }

    /** One offer's share of a smart link's traffic and what it is based on (decayed counts). */
    public record OfferShare(String offerId, double probability, double clicks, double conversions, double payoutSum,
                             double epc) {
    }

    public record SegmentShares(String segment, List<OfferShare> offers) {
    }

    public record LinkDistribution(String linkId, String policy, long stateVersion, long asOfMillis,
                                   List<OfferShare> overall, List<SegmentShares> segments) {
    }

    @GetMapping("/api/v1/links/{id}/distribution")
    @Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR})
    @Operation(summary = "Current offer probabilities of a smart link and the statistics behind them",
            security = @SecurityRequirement(name = "bearer"))
    public LinkDistribution distribution(Caller caller, @PathVariable("id") String linkId) throws IOException {
        Authorization.requireRole(caller, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);
        String tenantId = caller.tenantId().value();
        JsonNode link = ConfigCacheJson.MAPPER.readTree(links.body(caller.tenantId(), ConfigEntityKinds.LINK, linkId)
                .orElseThrow(() -> ApiProblem.notFound("Link")));
        String policyName = link.path("policy").isTextual() ? link.get("policy").asText() : SmartLinkSelector.DEFAULT_POLICY;
        Map<String, String> params = new HashMap<>();
        link.path("policyParams").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        List<Arm> arms = new ArrayList<>();
        for (JsonNode offerId : link.path("offerIds")) {
            arms.add(SmartLinkPolicies.arm(offerId.asText(), links.body(caller.tenantId(), ConfigEntityKinds.OFFER,
                    offerId.asText()).map(body -> ConfigCacheJson.read(body, OfferTerms.class)).orElse(null)));
        }

        Map<String, String> encoded = states.encoded(tenantId, linkId);
        PolicyState state = encoded.isEmpty() ? PolicyState.empty(linkId, LearningConfig.DEFAULT) : StateCodec.decode(encoded);
        // The same policy and arms the click path builds (SmartLinkPolicies), so these are the probabilities clicks are drawn from.
        Policy policy = SmartLinkPolicies.of(policyName, params);
        List<OfferShare> overall = shares(policy, arms, Context.UNKNOWN, state, Segments.GLOBAL);
        List<SegmentShares> segments = new ArrayList<>();
        for (String segment : segmentsOf(state)) {
            segments.add(new SegmentShares(segment, shares(policy, arms, contextOf(segment), state, segment)));
        }
        return new LinkDistribution(linkId, policyName, state.version(), state.asOfMillis(), overall, segments);
    }

    /** The probabilities a click in {@code context} is drawn from, in arm order. */
    static double[] probabilities(Policy policy, List<Arm> arms, Context context, PolicyState state) {
        return arms.isEmpty() ? new double[0] : policy.probabilities(arms, context, state);
    }

    private static List<OfferShare> shares(Policy policy, List<Arm> arms, Context context, PolicyState state, String segment) {
        double[] p = probabilities(policy, arms, context, state);
        List<OfferShare> out = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            ArmStats s = state.stats(arms.get(i).offerId(), segment);
            out.add(new OfferShare(arms.get(i).offerId(), p[i], s.clicks(), s.conversions(), s.payoutSum(),
                    s.clicks() > 0 ? s.payoutSum() / s.clicks() : 0));
        }
        return out;
    }

    private static List<String> segmentsOf(PolicyState state) {
        List<String> segments = new ArrayList<>();
        for (Segments.Dimension dimension : Segments.Dimension.values()) {
            segments.addAll(state.segmentValues(dimension));
        }
        return segments;
    }

    private static Context contextOf(String segment) {
        String value = segment.substring(segment.indexOf('=') + 1);
        if (segment.startsWith("cc=")) {
            return new Context(value, "?", "?", 0);
        }
        if (segment.startsWith("dev=")) {
            return new Context("?", value, "?", 0);
        }
        if (segment.startsWith("src=")) {
            return new Context("?", "?", value, 0);
        }
        if (segment.startsWith("hr=")) {
            return new Context("?", "?", "?", Integer.parseInt(value) * Segments.HOURS_PER_BLOCK);
        }
        return Context.UNKNOWN;
    }
}
