package io.affnet.command.postback;

import io.affnet.api.config.CapKeys;
import io.affnet.api.offer.Caps;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact conversion caps. Inside the transaction that appends a conversion, the counters it would use
 * are locked (in key order, so two postbacks never deadlock), checked against their limits and only
 * then incremented; a concurrent postback waits for the lock and sees the new count. A conversion
 * therefore never passes a cap, whatever the concurrency, on one node or many.
 */
public class CapLedger {

    private final JdbcTemplate jdbc;

    public CapLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The counters a conversion of this offer and affiliate on this day counts in, with their limits. */
    public static Map<String, Long> counters(String tenantId, String offerId, String affiliateId, Caps caps, LocalDate day) {
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

    /**
     * Takes one slot in every counter, or none if any is full. Must run inside the conversion's
     * transaction. Returns the new counts (for mirroring to the click path's Redis), or null when full.
     */
    public Map<String, Long> claim(Map<String, Long> limits) {
        if (limits.isEmpty()) {
            return Map.of();
        }
        List<String> keys = new ArrayList<>(limits.keySet());
        keys.sort(String::compareTo);
        for (String key : keys) {
            jdbc.update("INSERT INTO cap_counter (counter_key, count) VALUES (?, 0) ON CONFLICT (counter_key) DO NOTHING", key);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT counter_key, count FROM cap_counter WHERE counter_key = ANY (?) ORDER BY counter_key FOR UPDATE",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                }, (Object) keys.toArray(new String[0]));
        for (String key : keys) {
            if (counts.getOrDefault(key, 0L) >= limits.get(key)) {
                return null;
            }
        }
        jdbc.update("UPDATE cap_counter SET count = count + 1 WHERE counter_key = ANY (?)", (Object) keys.toArray(new String[0]));
        counts.replaceAll((k, v) -> v + 1);
        return counts;
    }

    private static void put(Map<String, Long> limits, Long limit, String key) {
        if (limit != null) {
            limits.put(key, limit);
        }
    }
}
