package io.affnet.command.distribution;

import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StateCodec;
import io.affnet.distribution.state.StatsAccumulator;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns from events: smart-link clicks and the conversions that follow them are folded into
 * per-(link, offer, segment) statistics, whose snapshots are written to Redis for every node to decide
 * from. One segment, so one node folds each link's events in order; it keeps the accumulators in
 * memory (restored from Redis when it takes over) and writes snapshots every second. A crash between
 * a write and the processor's token update may count a few events twice in the learning state — a
 * statistical, not a financial, figure; money is never derived from it.
 */
@ProcessingGroup(DistributionStatsProjection.GROUP)
public class DistributionStatsProjection {

    public static final String GROUP = "distribution-stats";

    private final StringRedisTemplate redis;
    private final Map<String, StatsAccumulator> accumulators = new HashMap<>();
    private final Map<String, String> tenantOfLink = new HashMap<>();
    private final Map<String, Boolean> dirty = new HashMap<>();

    public DistributionStatsProjection(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @EventHandler
    void on(ClickRecordedEvent click) {
        if (click.decision() == null || click.outcome() != ClickOutcome.OFFER || click.offerId() == null) {
            return;
        }
        String tenantId = click.tenantId().value();
        Context context = new Context(click.country() == null ? "?" : click.country(), click.deviceClass(),
                click.subs().getOrDefault("source", "?"), click.clickedAt().atZone(ZoneOffset.UTC).getHour());
        long clickedAt = click.clickedAt().toEpochMilli();
        synchronized (this) {
            accumulator(tenantId, click.linkId()).recordClick(click.offerId(), context, clickedAt);
            dirty.put(click.linkId(), true);
        }
        long ttl = click.terms() == null ? 30L * 86400 : click.terms().attributionWindowSeconds();
        redis.opsForValue().set(DistributionKeys.click(tenantId, click.clickId()), String.join("\u001f",
                click.linkId(), click.offerId(), context.country(), context.deviceClass(), context.source(),
                Integer.toString(context.hourOfDay()), Long.toString(clickedAt)), Duration.ofSeconds(Math.max(60, ttl)));
    }

    @EventHandler
    void on(ConversionRecordedEvent conversion) {
        if (conversion.status() == ConversionStatus.REJECTED) {
            return;
        }
        String tenantId = conversion.tenantId().value();
        String memo = redis.opsForValue().get(DistributionKeys.click(tenantId, conversion.clickId()));
        if (memo == null) {
            return;
        }
        String[] f = memo.split("\u001f", -1);
        Context context = new Context(f[2], f[3], f[4], Integer.parseInt(f[5]));
        double payout = conversion.payout().minor() / 100.0;
        synchronized (this) {
            accumulator(tenantId, f[0]).recordConversion(f[1], context, Long.parseLong(f[6]),
                    conversion.convertedAt().toEpochMilli(), payout);
            dirty.put(f[0], true);
        }
    }

    /** Writes a snapshot of every link that changed since the last flush. */
    public void flush() {
        List<PolicyState> snapshots = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (String linkId : dirty.keySet()) {
                snapshots.add(accumulators.get(linkId).snapshot(now));
                tenants.add(tenantOfLink.get(linkId));
            }
            dirty.clear();
        }
        for (int i = 0; i < snapshots.size(); i++) {
            PolicyState state = snapshots.get(i);
            String key = DistributionKeys.state(tenants.get(i), state.linkId());
            redis.delete(key);
            redis.opsForHash().putAll(key, StateCodec.encode(state));
        }
    }

    @ResetHandler
    void reset() {
        synchronized (this) {
            accumulators.clear();
            tenantOfLink.clear();
            dirty.clear();
        }
        try (Cursor<String> keys = redis.scan(ScanOptions.scanOptions().match(DistributionKeys.STATE_PATTERN).count(500).build())) {
            keys.forEachRemaining(redis::delete);
        }
    }

    private StatsAccumulator accumulator(String tenantId, String linkId) {
        StatsAccumulator acc = accumulators.get(linkId);
        if (acc == null) {
            Map<Object, Object> raw = redis.opsForHash().entries(DistributionKeys.state(tenantId, linkId));
            if (raw.isEmpty()) {
                acc = new StatsAccumulator(linkId, LearningConfig.DEFAULT);
            } else {
                Map<String, String> encoded = new HashMap<>();
                raw.forEach((k, v) -> encoded.put((String) k, (String) v));
                acc = StatsAccumulator.restore(StateCodec.decode(encoded));
            }
            accumulators.put(linkId, acc);
            tenantOfLink.put(linkId, tenantId);
        }
        return acc;
    }
}
