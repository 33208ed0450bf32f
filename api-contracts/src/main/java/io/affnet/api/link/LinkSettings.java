package io.affnet.api.link;

import java.util.List;
import java.util.Map;

/**
 * What a tracking link does: one affiliate's traffic to one offer, or, for a smart link, to several
 * candidate offers chosen per click by {@code policy} (a policy name such as {@code thompson-epc}, with
 * {@code policyParams}). Plain links have one offer and no policy.
 */
public record LinkSettings(String affiliateId, List<String> offerIds, String policy, Map<String, String> policyParams,
                           LinkStatus status) {

    public boolean smart() {
        return offerIds.size() > 1 || policy != null;
    }
}
