package io.affnet.api.affiliate;

import java.util.List;

/** An affiliate as the click and conversion paths need it: its status and payout overrides. */
public record AffiliateProfile(String name, String email, AffiliateStatus status, List<PayoutOverride> payoutOverrides) {

    public PayoutOverride override(String offerId, String goal) {
        return payoutOverrides.stream().filter(o -> o.offerId().equals(offerId) && o.goal().equals(goal))
                .findFirst().orElse(null);
    }
}
