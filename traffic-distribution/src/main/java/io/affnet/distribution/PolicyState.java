package io.affnet.distribution;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An immutable snapshot of what one smart link has learnt, taken at {@code asOfMillis}. The click
 * path holds it in an atomic reference and swaps in a new one on every refresh; nothing in it
 * changes afterwards except the memo, a cache of values derived from the snapshot (Monte-Carlo
 * propensities) that is valid for exactly as long as the snapshot is.
 */
public final class PolicyState {

    private final String linkId;
    private final long asOfMillis;
    private final long version;
    private final LearningConfig config;
    private final Map<String, ArmStats> stats;
    private final Map<String, DelayDistribution> delays;
    private final ArmStats emptyStats;
    private final DelayDistribution priorDelay;
    private final ConcurrentHashMap<Object, Object> memo = new ConcurrentHashMap<>();

    public PolicyState(String linkId, long asOfMillis, long version, LearningConfig config,
                       Map<String, ArmStats> stats, Map<String, DelayDistribution> delays) {
        this.linkId = Objects.requireNonNull(linkId, "linkId");
        this.asOfMillis = asOfMillis;
        this.version = version;
        this.config = Objects.requireNonNull(config, "config");
        this.stats = Map.copyOf(stats);
        this.delays = Map.copyOf(delays);
        this.emptyStats = ArmStats.empty(config.recentBuckets());
        this.priorDelay = DelayDistribution.prior(config);
    }

    public static PolicyState empty(String linkId, LearningConfig config) {
        return new PolicyState(linkId, 0, 0, config, Map.of(), Map.of());
    }

    public static String statsKey(String offerId, String segment) {
        return offerId + "|" + segment;
    }

    public ArmStats stats(String offerId, String segment) {
        ArmStats s = stats.get(statsKey(offerId, segment));
        return s == null ? emptyStats : s;
    }

    public boolean hasStats(String offerId, String segment) {
        return stats.containsKey(statsKey(offerId, segment));
    }

    /**
     * The delay distribution used for an offer: its own measured delays, blended with those of all
     * the link's offers in proportion to how many it has (full weight from
     * {@link #OWN_DELAY_OBSERVATIONS}). A new offer's own delays are censored (its clicks are too
     * young to show long delays), so on its own it would look faster than it is.
     */
    public DelayDistribution delay(String offerId) {
        if (delays.isEmpty()) {
            return priorDelay;
        }
        return memo("delay:" + offerId, () -> {
            double[] pooled = new double[DelayDistribution.BINS];
            for (DelayDistribution d : delays.values()) {
                double[] c = d.counts();
                for (int i = 0; i < c.length; i++) {
                    pooled[i] += c[i];
                }
            }
            DelayDistribution own = delays.get(offerId);
            double[] mix = pooled;
            if (own != null) {
                double w = Math.min(1, own.observations() / OWN_DELAY_OBSERVATIONS);
                double[] c = own.counts();
                mix = new double[c.length];
                for (int i = 0; i < c.length; i++) {
                    mix[i] = w * c[i] + (1 - w) * pooled[i];
                }
            }
            return new DelayDistribution(mix, config.delayPriorMean().toMillis(), config.delayPriorWeight());
        });
    }

    /** Measured delays at which an offer's own delay distribution is used without pooling. */
    public static final double OWN_DELAY_OBSERVATIONS = 1000;

    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Supplier<T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            v = compute.get();
            Object prev = memo.putIfAbsent(key, v);
            if (prev != null) {
                v = prev;
            }
        }
        return (T) v;
    }

    /** How many distinct values of {@code dimension} this link has seen (1 means it cannot discriminate). */
    public int distinctValues(Segments.Dimension dimension) {
        return segmentValues(dimension).size();
    }

    /** The segment keys of {@code dimension} this link has seen. */
    public java.util.List<String> segmentValues(Segments.Dimension dimension) {
        return memo("values:" + dimension, () -> stats.keySet().stream()
                .map(k -> k.substring(k.indexOf('|') + 1))
                .filter(dimension::owns)
                .distinct()
                .sorted()
                .toList());
    }

    public String linkId() {
        return linkId;
    }

    public long asOfMillis() {
        return asOfMillis;
    }

    public long version() {
        return version;
    }

    public LearningConfig config() {
        return config;
    }

    public Map<String, ArmStats> allStats() {
        return stats;
    }

    public Map<String, DelayDistribution> allDelays() {
        return delays;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyState s && linkId.equals(s.linkId) && asOfMillis == s.asOfMillis
                && version == s.version && config.equals(s.config) && stats.equals(s.stats) && delays.equals(s.delays);
    }

    @Override
    public int hashCode() {
        return Objects.hash(linkId, asOfMillis, version, stats);
    }

    @Override
    public String toString() {
        return "PolicyState[link=" + linkId + ", asOf=" + asOfMillis + ", version=" + version + ", stats="
                + new TreeMap<>(stats) + "]";
    }
}
