package io.affnet.distribution.eval;

import io.affnet.distribution.Context;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Simulated traffic for one smart link: offers whose conversion rate may change over time and
 * differ by segment, clicks split over segments, conversions reported after a random delay.
 *
 * @param reportFromDay metrics are computed on clicks from this day on (e.g. after a swap)
 */
public record Scenario(String name, double days, double clicksPerDay, int updateEveryMinutes, Delay delay,
                       List<Segment> segments, List<Offer> offers, double reportFromDay) {

    public Scenario {
        segments = List.copyOf(segments);
        offers = List.copyOf(offers);
    }

    /** Click-to-conversion delay. */
    public sealed interface Delay {
        long sampleMillis(RandomGenerator r);
    }

    public record Exponential(double meanHours) implements Delay {
        @Override
        public long sampleMillis(RandomGenerator r) {
            return (long) (-Math.log(1 - r.nextDouble()) * meanHours * 3_600_000);
        }
    }

    /** ln(delay in hours) ~ Normal(mu, sigma). */
    public record LogNormal(double mu, double sigma) implements Delay {
        @Override
        public long sampleMillis(RandomGenerator r) {
            return (long) (Math.exp(mu + sigma * r.nextGaussian()) * 3_600_000);
        }
    }

    public record Segment(String name, double share, Context context) {
    }

    public record CvrPoint(double fromDay, double value) {
    }

    public record Active(double fromDay, double toDay) {
    }

    public record Offer(String id, double payout, List<CvrPoint> cvr, Map<String, Double> segmentFactor,
                        List<Active> active) {
        public Offer {
            cvr = List.copyOf(cvr);
            segmentFactor = Map.copyOf(segmentFactor);
            active = List.copyOf(active);
        }

        /** Step function: the value of the last point whose {@code fromDay} has passed. */
        public double cvrAt(double day, String segment) {
            double v = cvr.get(0).value();
            for (CvrPoint p : cvr) {
                if (p.fromDay() <= day) {
                    v = p.value();
                } else {
                    break;
                }
            }
            return Math.min(1, v * segmentFactor.getOrDefault(segment, 1.0));
        }

        public boolean activeAt(double day) {
            if (active.isEmpty()) {
                return true;
            }
            for (Active a : active) {
                if (day >= a.fromDay() && day < a.toDay()) {
                    return true;
                }
            }
            return false;
        }
    }
}
