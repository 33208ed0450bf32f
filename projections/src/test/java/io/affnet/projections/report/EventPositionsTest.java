package io.affnet.projections.report;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The global index of each event, found from consecutive tokens as Axon's JDBC store makes them. */
class EventPositionsTest {

    @Test
    void anEventPastTheTokensIndexHasThatIndexAndNeedsNoTag() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of());
        GapAwareTrackingToken after = before.advanceTo(13, 10_000);
        assertThat(after.getGaps()).containsExactly(11L, 12L);
        assertThat(EventPositions.added(SeenPositions.of(before), SeenPositions.of(after))).isNull();
        assertThat(SeenPositions.of(after).index()).isEqualTo(13);
    }

    @Test
    void anEventThatFillsAGapIsKnownByTheGapItClosedNotByTheTokensIndex() {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(10, List.of()).advanceTo(13, 10_000);
        GapAwareTrackingToken after = before.advanceTo(12, 10_000);
        assertThat(after.position()).hasValue(13);
        assertThat(EventPositions.added(SeenPositions.of(before), SeenPositions.of(after))).containsExactly(12L);
    }

    @Test
    void theSameTokenTwiceAddsNothing() {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(13, List.of(11L));
        assertThat(EventPositions.added(SeenPositions.of(token), SeenPositions.of(token))).isEmpty();
    }

    @Test
    void replayTokensAreReadAtTheirCurrentPosition() {
        GapAwareTrackingToken current = GapAwareTrackingToken.newInstance(7, List.of(5L));
        var replay = ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(20, List.of()), current);
        assertThat(SeenPositions.of(replay)).isEqualTo(new SeenPositions(7, new long[]{5}));
        assertThat(SeenPositions.of(new GlobalSequenceTrackingToken(42))).isEqualTo(new SeenPositions(42, new long[0]));
    }

    @Test
    void aSetOfSeenIndicesGrowsByUnionAndItsSizeGrowsWithIt() {
        SeenPositions counted = new SeenPositions(13, new long[]{11, 12});
        SeenPositions delivered = new SeenPositions(12, new long[]{9, 11});
        SeenPositions union = counted.union(delivered);
        assertThat(union).isEqualTo(new SeenPositions(13, new long[]{11}));
        assertThat(union.contains(12)).isTrue();
        assertThat(union.contains(11)).isFalse();
        assertThat(union.contains(9)).isTrue();
        assertThat(union.contains(14)).isFalse();
        assertThat(union.count()).isEqualTo(counted.count() + 1);
        assertThat(SeenPositions.NONE.union(counted)).isEqualTo(counted);
        assertThat(SeenPositions.NONE.count()).isZero();
    }
}
