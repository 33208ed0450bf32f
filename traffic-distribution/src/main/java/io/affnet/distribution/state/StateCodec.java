package io.affnet.distribution.state;

import io.affnet.distribution.ArmStats;
import io.affnet.distribution.DelayDistribution;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts a {@link PolicyState} to and from a flat string map, the shape of a Redis hash (one hash
 * per smart link). Doubles are written with {@link Double#toString}, which reads back to the same
 * bits, so a round trip is exact.
 *
 * <pre>
 * format                 "1"
 * link, asOf, version    link id, snapshot time (epoch ms), snapshot counter
 * cfg.halfLifeMs, cfg.bucketMs, cfg.buckets, cfg.delayPriorMeanMs, cfg.delayPriorWeight
 * s|{offerId}|{segment}  clicks,conversions,payoutSum,payoutSumSquares,totalClicks,totalConversions,
 *                        firstClickMs,lastEventMs;recentClicks;recentConversions;recentPayout
 *                        where each recent array is sparse "index:value" pairs separated by spaces
 * d|{offerId}            sparse delay histogram, same "index:value" form
 * </pre>
 */
public final class StateCodec {

    public static final String FORMAT = "1";

    private StateCodec() {
    }

    public static Map<String, String> encode(PolicyState state) {
        Map<String, String> m = new LinkedHashMap<>();
        LearningConfig c = state.config();
        m.put("format", FORMAT);
        m.put("link", state.linkId());
        m.put("asOf", Long.toString(state.asOfMillis()));
        m.put("version", Long.toString(state.version()));
        m.put("cfg.halfLifeMs", Long.toString(c.halfLife().toMillis()));
        m.put("cfg.bucketMs", Long.toString(c.bucketMillis()));
        m.put("cfg.buckets", Integer.toString(c.recentBuckets()));
        m.put("cfg.delayPriorMeanMs", Long.toString(c.delayPriorMean().toMillis()));
        m.put("cfg.delayPriorWeight", Double.toString(c.delayPriorWeight()));
        state.allStats().forEach((key, s) -> m.put("s|" + key, encode(s)));
        state.allDelays().forEach((offer, d) -> m.put("d|" + offer, sparse(d.counts())));
        return m;
    }

    public static PolicyState decode(Map<String, String> m) {
        if (!FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("unsupported policy state format: " + m.get("format"));
        }
        try {
            LearningConfig config = new LearningConfig(
                    Duration.ofMillis(Long.parseLong(required(m, "cfg.halfLifeMs"))),
                    Duration.ofMillis(Long.parseLong(required(m, "cfg.bucketMs"))),
                    Integer.parseInt(required(m, "cfg.buckets")),
                    Duration.ofMillis(Long.parseLong(required(m, "cfg.delayPriorMeanMs"))),
                    Double.parseDouble(required(m, "cfg.delayPriorWeight")));
            Map<String, ArmStats> stats = new HashMap<>();
            Map<String, DelayDistribution> delays = new HashMap<>();
            for (Map.Entry<String, String> e : m.entrySet()) {
                String k = e.getKey();
                if (k.startsWith("s|")) {
                    stats.put(k.substring(2), decodeStats(e.getValue(), config.recentBuckets()));
                } else if (k.startsWith("d|")) {
                    delays.put(k.substring(2), new DelayDistribution(dense(e.getValue(), DelayDistribution.BINS),
                            config.delayPriorMean().toMillis(), config.delayPriorWeight()));
                }
            }
            return new PolicyState(required(m, "link"), Long.parseLong(required(m, "asOf")),
                    Long.parseLong(required(m, "version")), config, stats, delays);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed policy state: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("policy state lacks '" + key + "'");
        }
        return v;
    }

    private static String encode(ArmStats s) {
        return s.clicks() + "," + s.conversions() + "," + s.payoutSum() + "," + s.payoutSumSquares() + ","
                + s.totalClicks() + "," + s.totalConversions() + "," + s.firstClickMillis() + ","
                + s.lastEventMillis() + ";" + sparse(s.recentClicks()) + ";" + sparse(s.recentConversions()) + ";"
                + sparse(s.recentPayout());
    }

    private static ArmStats decodeStats(String v, int buckets) {
        String[] parts = v.split(";", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("malformed arm stats: " + v);
        }
        String[] f = parts[0].split(",");
        if (f.length != 8) {
            throw new IllegalArgumentException("malformed arm stats: " + v);
        }
        return new ArmStats(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]), dense(parts[1], buckets), dense(parts[2], buckets), dense(parts[3], buckets));
    }

    private static String sparse(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(i).append(':').append(a[i]);
            }
        }
        return sb.toString();
    }

    private static double[] dense(String s, int n) {
        double[] a = new double[n];
        if (s.isEmpty()) {
            return a;
        }
        for (String pair : s.split(" ")) {
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("malformed sparse entry: " + pair);
            }
            a[Integer.parseInt(pair.substring(0, colon))] = Double.parseDouble(pair.substring(colon + 1));
        }
        return a;
    }
}
