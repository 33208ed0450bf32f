package io.affnet.projections.report;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ReportBulkLoadTest {

    @Test
    void theBulkPhaseReadsExactlyThePayloadTypesTheProjectionHandles() {
        Set<Class<?>> handled = Arrays.stream(ReportProjection.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(EventHandler.class))
                .map(Method::getParameterTypes).map(p -> p[0]).collect(Collectors.toSet());
        assertThat(handled).containsExactlyInAnyOrderElementsOf(ReportBatch.EVENT_TYPES);
    }

    @Test
    void missingIndicesAreTheOnesNoRangeHeldAndAreAskedForBetweenTwoIndices() {
        ReportBulkLoad.Missing missing = new ReportBulkLoad.Missing();
        missing.addAbsent(new EventRanges.Range(0, 10, new long[]{1, 2, 4, 5, 9}, List.of()));
        missing.addAbsent(new EventRanges.Range(10, 20, new long[]{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, List.of()));
        missing.addAbsent(new EventRanges.Range(20, 25, new long[]{22}, List.of()));
        assertThat(missing.between(0, 30)).containsExactly(3, 6, 7, 8, 10, 21, 23, 24, 25);
        assertThat(missing.between(3, 10)).as("open at both ends").containsExactly(6, 7, 8);
        assertThat(missing.between(10, 21)).isEmpty();
        assertThat(missing.between(-100, 3)).isEmpty();
    }

    @Test
    void theProcessorTakesOverAtTheLastIndexReadWithTheGapsBelowIt() {
        var token = new ReportBulkLoad.Result(100, 42, new long[]{97, 99}).token();
        assertThat(token).isEqualTo(GapAwareTrackingToken.newInstance(100, List.of(97L, 99L)));
        assertThat(SeenPositions.of(token).contains(98)).isTrue();
        assertThat(SeenPositions.of(token).contains(99)).isFalse();
    }
}
