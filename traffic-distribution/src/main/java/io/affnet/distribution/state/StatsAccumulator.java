package io.affnet.distribution.state;

import io.affnet.distribution.ArmStats;
import io.affnet.distribution.Context;
import io.affnet.distribution.DelayDistribution;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.Segments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Folds the click and conversion observations of one smart link into per (offer, segment)
 * statistics and produces immutable {@link PolicyState} snapshots. It does no I/O and keeps no
 * clock: the result is a function of the observations and the snapshot times alone, so a
 * projection can rebuild it by replaying events.
 *
 * <p>Discounting is exponential in the age of the click: a conversion counts with the weight its
 * click has, so a conversion arriving today for last week's click says little about today's rate.
 * Not thread-safe: one writer (the projection) owns it and publishes snapshots.
 */
public final class StatsAccumulator {

    private final String linkId;
    private final LearningConfig config;
    private final double lambda;
    private final long bucketMillis;
    private final Map<String, Cell> cells = new HashMap<>();
    private final Map<String, DelayDistribution> delays = new HashMap<>();
    private long version;

    public StatsAccumulator(String linkId, LearningConfig config) {
        this.linkId = Objects.requireNonNull(linkId, "linkId");
        this.config = Objects.requireNonNull(config, "config");
        this.lambda = config.lambdaPerMilli();
        this.bucketMillis = config.bucketMillis();
    }

    /** Continues learning from a stored snapshot. */
    public static StatsAccumulator restore(PolicyState state) {
        StatsAccumulator acc = new StatsAccumulator(state.linkId(), state.config());
        long head = Math.floorDiv(state.asOfMillis(), acc.bucketMillis);
        state.allStats().forEach((key, s) -> acc.cells.put(key, Cell.of(acc, s, state.asOfMillis(), head)));
        acc.delays.putAll(state.allDelays());
        acc.version = state.version();
        return acc;
    }

    public void recordClick(String offerId, Context context, long clickMillis) {
        recordClicks(offerId, context, clickMillis, 1);
    }

    public void recordClicks(String offerId, Context context, long clickMillis, long count) {
        for (String segment : Segments.of(context)) {
            recordClicks(offerId, segment, clickMillis, count);
        }
    }

    /** Counts clicks in one segment only (callers that manage their own segmentation). */
    public void recordClicks(String offerId, String segment, long clickMillis, long count) {
        cell(offerId, segment).click(clickMillis, count);
    }

    public void recordConversion(String offerId, Context context, long clickMillis, long conversionMillis,
                                 double payout) {
        List<String> segments = Segments.of(context);
        for (String segment : segments) {
            cell(offerId, segment).conversion(clickMillis, conversionMillis, payout);
        }
        long delay = Math.max(0, conversionMillis - clickMillis);
        recordDelay(offerId, delay, cell(offerId, Segments.GLOBAL).censoringWeight(conversionMillis, delay));
    }

    public void recordConversion(String offerId, String segment, long clickMillis, long conversionMillis,
                                 double payout) {
        cell(offerId, segment).conversion(clickMillis, conversionMillis, payout);
    }

    /**
     * Adds a measured delay with a weight. A delay of d can only have been observed on clicks older
     * than d, so an offer whose clicks are mostly recent sees only its short delays; weighting each
     * delay by the inverse of the share of clicks old enough to show it (inverse probability of
     * censoring weighting) removes most of that bias.
     */
    public void recordDelay(String offerId, long delayMillis, double weight) {
        long d = Math.max(0, delayMillis);
        delays.merge(offerId, DelayDistribution.prior(config).plus(d, weight), (old, add) -> old.plus(d, weight));
    }

    public PolicyState snapshot(long asOfMillis) {
        long head = Math.floorDiv(asOfMillis, bucketMillis);
        Map<String, ArmStats> out = new HashMap<>(cells.size() * 2);
        cells.forEach((key, cell) -> out.put(key, cell.toStats(asOfMillis, head)));
        return new PolicyState(linkId, asOfMillis, ++version, config, out, delays);
    }

    private Cell cell(String offerId, String segment) {
        return cells.computeIfAbsent(PolicyState.statsKey(offerId, segment), k -> new Cell(this));
    }

    private static final class Cell {
        private final double lambda;
        private final long bucketMillis;
        private final int buckets;
        private long refMillis = Long.MIN_VALUE;
        private double clicks;
        private double conversions;
        private double payoutSum;
        private double payoutSumSquares;
        private long totalClicks;
        private long totalConversions;
        private long firstClickMillis;
        private long lastEventMillis;
        private long headBucket = Long.MIN_VALUE;
        private double[] recentClicks;
        private double[] recentConversions;
        private double[] recentPayout;

        Cell(StatsAccumulator owner) {
            this(owner.lambda, owner.bucketMillis, owner.config.recentBuckets());
        }

        private Cell(double lambda, long bucketMillis, int buckets) {
            this.lambda = lambda;
            this.bucketMillis = bucketMillis;
            this.buckets = buckets;
            this.recentClicks = new double[buckets];
            this.recentConversions = new double[buckets];
            this.recentPayout = new double[buckets];
        }

        static Cell of(StatsAccumulator owner, ArmStats s, long asOfMillis, long head) {
            if (s.recentClicks().length != owner.config.recentBuckets()) {
                throw new IllegalArgumentException("stats have " + s.recentClicks().length
                        + " recent buckets, config says " + owner.config.recentBuckets());
            }
            return new Cell(owner).load(s, asOfMillis, head);
        }

        private Cell load(ArmStats s, long asOfMillis, long head) {
            refMillis = asOfMillis;
            clicks = s.clicks();
            conversions = s.conversions();
            payoutSum = s.payoutSum();
            payoutSumSquares = s.payoutSumSquares();
            totalClicks = s.totalClicks();
            totalConversions = s.totalConversions();
            firstClickMillis = s.firstClickMillis();
            lastEventMillis = s.lastEventMillis();
            headBucket = head;
            recentClicks = s.recentClicks().clone();
            recentConversions = s.recentConversions().clone();
            recentPayout = s.recentPayout().clone();
            return this;
        }

        /** Moves the discount reference forward; returns the weight of an event at {@code t}. */
        private double advance(long t) {
            if (refMillis == Long.MIN_VALUE) {
                refMillis = t;
                return 1;
            }
            if (t > refMillis) {
                double f = Math.exp(-lambda * (t - refMillis));
                clicks *= f;
                conversions *= f;
                payoutSum *= f;
                payoutSumSquares *= f;
                refMillis = t;
                return 1;
            }
            return Math.exp(-lambda * (refMillis - t));
        }

        private void shiftTo(long bucket) {
            if (headBucket == Long.MIN_VALUE) {
                headBucket = bucket;
                return;
            }
            long d = bucket - headBucket;
            if (d <= 0) {
                return;
            }
            if (d >= buckets) {
                java.util.Arrays.fill(recentClicks, 0);
                java.util.Arrays.fill(recentConversions, 0);
                java.util.Arrays.fill(recentPayout, 0);
            } else {
                int s = (int) d;
                System.arraycopy(recentClicks, 0, recentClicks, s, buckets - s);
                System.arraycopy(recentConversions, 0, recentConversions, s, buckets - s);
                System.arraycopy(recentPayout, 0, recentPayout, s, buckets - s);
                java.util.Arrays.fill(recentClicks, 0, s, 0);
                java.util.Arrays.fill(recentConversions, 0, s, 0);
                java.util.Arrays.fill(recentPayout, 0, s, 0);
            }
            headBucket = bucket;
        }

        private int slot(long eventMillis) {
            long d = headBucket - Math.floorDiv(eventMillis, bucketMillis);
            return d >= 0 && d < buckets ? (int) d : -1;
        }

        void click(long t, long count) {
            double w = advance(t);
            shiftTo(Math.floorDiv(t, bucketMillis));
            clicks += w * count;
            totalClicks += count;
            if (firstClickMillis == 0 || t < firstClickMillis) {
                firstClickMillis = t;
            }
            lastEventMillis = Math.max(lastEventMillis, t);
            int s = slot(t);
            if (s >= 0) {
                recentClicks[s] += count;
            }
        }

        void conversion(long clickMillis, long conversionMillis, double payout) {
            advance(conversionMillis);
            shiftTo(Math.floorDiv(conversionMillis, bucketMillis));
            double w = Math.exp(-lambda * Math.max(0, refMillis - clickMillis));
            conversions += w;
            payoutSum += w * payout;
            payoutSumSquares += w * payout * payout;
            totalConversions++;
            lastEventMillis = Math.max(lastEventMillis, conversionMillis);
            int s = slot(clickMillis);
            if (s >= 0) {
                recentConversions[s] += 1;
                recentPayout[s] += payout;
            }
        }

        /** total clicks / clicks older than {@code ageMillis} at {@code nowMillis}, capped at 20. */
        double censoringWeight(long nowMillis, long ageMillis) {
            if (totalClicks == 0) {
                return 1;
            }
            shiftTo(Math.floorDiv(nowMillis, bucketMillis));
            long newestOld = Math.floorDiv(nowMillis - ageMillis, bucketMillis);
            double young = 0;
            for (int b = 0; b < buckets && headBucket - b > newestOld; b++) {
                young += recentClicks[b];
            }
            double old = totalClicks - young;
            return old <= 0 ? 20 : Math.min(20, totalClicks / old);
        }

        ArmStats toStats(long asOfMillis, long head) {
            double f = refMillis == Long.MIN_VALUE || asOfMillis <= refMillis ? 1
                    : Math.exp(-lambda * (asOfMillis - refMillis));
            double[] rc = new double[buckets];
            double[] rv = new double[buckets];
            double[] rp = new double[buckets];
            long d = headBucket == Long.MIN_VALUE ? 0 : head - headBucket;
            if (d >= 0 && d < buckets) {
                int s = (int) d;
                System.arraycopy(recentClicks, 0, rc, s, buckets - s);
                System.arraycopy(recentConversions, 0, rv, s, buckets - s);
                System.arraycopy(recentPayout, 0, rp, s, buckets - s);
            }
            return new ArmStats(clicks * f, conversions * f, payoutSum * f, payoutSumSquares * f, totalClicks,
                    totalConversions, firstClickMillis, lastEventMillis, rc, rv, rp);
        }
    }
}
