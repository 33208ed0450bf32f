package io.affnet.domain.click;

import io.affnet.api.config.CapKeys;
import io.affnet.api.offer.Caps;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact conversion caps: counters of credited conversions with their limits. A {@link Hold} locks the
 * counters a conversion would count in until its transaction ends, so no concurrent conversion can
 * pass a cap between the check and the increment, on one node or many.
 */
public interface CapLedger {

    /** Locks these counters ({@link #counters}) for the current transaction and reads them. */
    Hold hold(Map<String, Long> limits);

    /** Counters locked by the current transaction. */
    interface Hold {

        /** Whether any counter has reached its limit. */
        boolean full();

        /** Takes one slot in every counter (only when not {@link #full()}). */
        void take();
    }

    /** A hold on no counters: never full, takes nothing. */
    Hold NONE = new Hold() {
        @Override
        public boolean full() {
            return false;
        }

        @Override
        public void take() {
        }
    };

    /** The counters a conversion of this offer and affiliate on this day counts in, with their limits. */
    static Map<String, Long> counters(String tenantId, String offerId, String affiliateId, Caps caps, LocalDate day) {
        Map<String, Long> limits = new LinkedHashMap<>();
        if (caps == null) {
            return limits;
        }
        put(limits, caps.daily(), CapKeys.offerDay(tenantId, offerId, day));
        put(limits, caps.monthly(), CapKeys.offerMonth(tenantId, offerId, day));
        put(limits, caps.lifetime(), CapKeys.offerLifetime(tenantId, offerId));
        put(limits, caps.perAffiliateDaily(), CapKeys.affiliateDay(tenantId, offerId, affiliateId, day));
        put(limits, caps.perAffiliateMonthly(), CapKeys.affiliateMonth(tenantId, offerId, affiliateId, day));
        put(limits, caps.perAffiliateLifetime(), CapKeys.affiliateLifetime(tenantId, offerId, affiliateId));
        return limits;
    }

    private static void put(Map<String, Long> limits, Long limit, String key) {
        if (limit != null) {
            limits.put(key, limit);
        }
    }
}
