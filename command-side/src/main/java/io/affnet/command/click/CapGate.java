package io.affnet.command.click;

import io.affnet.api.config.CapKeys;
import io.affnet.api.offer.Caps;
import io.affnet.web.degrade.StoreBreaker;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tells the click path whether an offer (or an affiliate on it) has reached a conversion cap, from the
 * Redis counters the conversion path keeps. The answer is remembered for a short time per (offer,
 * affiliate), so heavy traffic costs one Redis round trip per pair per interval. Caps are enforced
 * exactly where conversions are counted; here they only steer traffic away early.
 * <p>
 * Redis is asked through the {@link StoreBreaker}: a click waits at most its timeout, and none waits
 * while Redis is away. Without an answer the last known answer for the pair stands, however old (the
 * caps from the last counters seen); a pair never seen counts as not capped, and the exact counters in
 * PostgreSQL still refuse conversions past a cap.
 */
public class CapGate {

    private final StringRedisTemplate redis;
    private final StoreBreaker breaker;
    private final long refreshMillis;
    private final LongSupplier clock;
    private final Map<String, long[]> remembered = new ConcurrentHashMap<>();

    public CapGate(StringRedisTemplate redis, StoreBreaker breaker, long refreshMillis, LongSupplier clock) {
        this.redis = redis;
        this.breaker = breaker;
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    public boolean capped(String tenantId, String offerId, String affiliateId, Caps caps, String timezone, Instant at) {
        if (caps == null || noCaps(caps)) {
            return false;
        }
        LocalDate day = at.atZone(zone(timezone)).toLocalDate();
        String memo = tenantId + '|' + offerId + '|' + affiliateId + '|' + day;
        long now = clock.getAsLong();
        long[] known = remembered.get(memo);
        if (known != null && now - known[0] < refreshMillis) {
            return known[1] == 1;
        }
        List<String> keys = new ArrayList<>(6);
        List<Long> limits = new ArrayList<>(6);
        add(keys, limits, caps.daily(), CapKeys.offerDay(tenantId, offerId, day));
        add(keys, limits, caps.monthly(), CapKeys.offerMonth(tenantId, offerId, day));
        add(keys, limits, caps.lifetime(), CapKeys.offerLifetime(tenantId, offerId));
        add(keys, limits, caps.perAffiliateDaily(), CapKeys.affiliateDay(tenantId, offerId, affiliateId, day));
        add(keys, limits, caps.perAffiliateMonthly(), CapKeys.affiliateMonth(tenantId, offerId, affiliateId, day));
        add(keys, limits, caps.perAffiliateLifetime(), CapKeys.affiliateLifetime(tenantId, offerId, affiliateId));
        Optional<List<String>> answer = breaker.call(() -> redis.opsForValue().multiGet(keys));
        if (answer.isEmpty()) {
            return known != null && known[1] == 1;
        }
        List<String> counts = answer.get();
        boolean capped = false;
        for (int i = 0; i < keys.size(); i++) {
            String count = counts == null ? null : counts.get(i);
            if (count != null && Long.parseLong(count) >= limits.get(i)) {
                capped = true;
                break;
            }
        }
        if (remembered.size() > 200_000) {
            remembered.clear();
        }
        remembered.put(memo, new long[]{now, capped ? 1 : 0});
        return capped;
    }

    public void forget() {
        remembered.clear();
    }

    private static void add(List<String> keys, List<Long> limits, Long limit, String key) {
        if (limit != null) {
            keys.add(key);
            limits.add(limit);
        }
    }

    private static boolean noCaps(Caps c) {
        return c.daily() == null && c.monthly() == null && c.lifetime() == null && c.perAffiliateDaily() == null
                && c.perAffiliateMonthly() == null && c.perAffiliateLifetime() == null;
    }

    private static ZoneId zone(String timezone) {
        try {
            return timezone == null ? ZoneId.of("UTC") : ZoneId.of(timezone);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
