package io.affnet.projections.report;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.LongStream;

/**
 * A set of global event-store indices, as a tracking token describes what it has seen: every index up
 * to {@code index} except the {@code gaps}. The JDBC store hands out indices in commit order only
 * roughly: two transactions that append at once can commit in the other order, so an event can arrive
 * after one with a higher index (it fills a gap of the token). "Seen" is therefore a set, not a high
 * water mark: a rollup document remembers the set of events it has counted, and an event counts only
 * if its index is not in it.
 *
 * @param index the highest index seen, -1 for none
 * @param gaps  indices below {@code index} not seen, ascending
 */
record SeenPositions(long index, long[] gaps) {

    private static final long[] NO_GAPS = new long[0];
    static final SeenPositions NONE = new SeenPositions(-1, NO_GAPS);

    /** What {@code token} (a replay token is unwrapped to its current position) has seen. */
    static SeenPositions of(TrackingToken token) {
        if (token == null) {
            return NONE;
        }
        var gapAware = WrappedToken.unwrap(token, GapAwareTrackingToken.class);
        if (gapAware.isPresent()) {
            GapAwareTrackingToken t = gapAware.get();
            return new SeenPositions(t.getIndex(), t.hasGaps() ? t.getGaps().stream().mapToLong(Long::longValue).toArray() : NO_GAPS);
        }
        var sequence = WrappedToken.unwrap(token, GlobalSequenceTrackingToken.class);
        if (sequence.isPresent()) {
            return new SeenPositions(sequence.get().getGlobalIndex(), NO_GAPS);
        }
        throw new IllegalStateException("Report rollups need a token of the global event sequence, not " + token);
    }

    static SeenPositions of(long index, Collection<? extends Number> gaps) {
        return new SeenPositions(index, gaps == null || gaps.isEmpty() ? NO_GAPS : gaps.stream().mapToLong(Number::longValue).sorted().toArray());
    }

    boolean contains(long position) {
        return position <= index && Arrays.binarySearch(gaps, position) < 0;
    }

    /** Every index either set has seen. */
    SeenPositions union(SeenPositions other) {
        long max = Math.max(index, other.index);
        long[] merged = LongStream.concat(Arrays.stream(gaps), Arrays.stream(other.gaps))
                .filter(g -> !contains(g) && !other.contains(g)).distinct().sorted().toArray();
        return new SeenPositions(max, merged);
    }

    /** How many indices this set holds: grows whenever an index is added, so it can version a document. */
    long count() {
        return index + 1 - gaps.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeenPositions s && s.index == index && Arrays.equals(s.gaps, gaps);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Arrays.hashCode(gaps);
    }

    @Override
    public String toString() {
        return "SeenPositions[" + index + ", gaps " + Arrays.toString(gaps) + "]";
    }
}
