package io.affnet.projections.report;

import io.affnet.api.config.ConfigCacheKeys;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts conversion money into the tenant's reporting currency. A tenant's currency never changes,
 * so it is remembered per node. The rate comes from the configured table ({@code affnet.fx.rates}) and
 * is written into the document beside the converted amount, so a reader sees which rate made the figure.
 */
public class TenantCurrencies {

    /** An amount converted into the tenant's currency, and the rate that did it. */
    public record Converted(String currency, long revenueMinor, long payoutMinor, String rate, String source) {
    }

    private final StringRedisTemplate redis;
    private final Map<String, BigDecimal> unitsPerBase = new HashMap<>();
    private final String source;
    private final Map<String, String> currencies = new ConcurrentHashMap<>();

    public TenantCurrencies(StringRedisTemplate redis, Map<String, String> unitsPerBase, String source) {
        this.redis = redis;
        this.source = source;
        unitsPerBase.forEach((c, v) -> this.unitsPerBase.put(c.toUpperCase(Locale.ROOT), new BigDecimal(v)));
    }

    public String currencyOf(String tenantId) {
        String known = currencies.get(tenantId);
        if (known != null) {
            return known;
        }
        Object value = redis.opsForHash().get(ConfigCacheKeys.tenant(tenantId), "currency");
        if (value == null) {
            return null;
        }
        currencies.put(tenantId, value.toString());
        return value.toString();
    }

    /** Null when the tenant or a rate is unknown: the document then has no converted amounts. */
    public Converted convert(String tenantId, String currency, long revenueMinor, long payoutMinor) {
        String target = currencyOf(tenantId);
        if (target == null) {
            return null;
        }
        if (target.equals(currency)) {
            return new Converted(target, revenueMinor, payoutMinor, "1", "identity");
        }
        BigDecimal from = unitsPerBase.get(currency);
        BigDecimal to = unitsPerBase.get(target);
        if (from == null || to == null || from.signum() <= 0) {
            return null;
        }
        BigDecimal rate = to.divide(from, MathContext.DECIMAL64);
        int shift = digits(target) - digits(currency);
        return new Converted(target, scale(revenueMinor, rate, shift), scale(payoutMinor, rate, shift),
                rate.stripTrailingZeros().toPlainString(), source);
    }

    private static long scale(long minor, BigDecimal rate, int shift) {
        return BigDecimal.valueOf(minor).multiply(rate).movePointRight(shift).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static int digits(String currency) {
        return Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
    }
}
