package io.affnet.projections.report;

import java.util.Collection;
import java.util.List;

/**
 * The event store read by ranges of its global index, for the report rebuild's bulk phase
 * ({@link ReportBulkLoad}): what a range holds, the events of some payload types upcast and deserialised
 * as the storage engine hands them out. Implemented where the store's layout is known (the platform's
 * event store configuration); absent with a store that has no global index to read by (then the rebuild
 * replays through the processor alone).
 */
public interface EventRanges {

    /** The highest global index stored (committed), -1 for an empty store. */
    long head();

    /**
     * The range {@code (after, upTo]}: every global index stored in it, ascending, and the events among them
     * whose payload is one of {@code payloadTypes}, in global order, their payloads deserialised.
     */
    Range read(long after, long upTo, Collection<Class<?>> payloadTypes);

    /** One event of a range: its global index, its identifier and its payload. */
    record Event(long globalIndex, String eventId, Object payload) {
    }

    /** What {@link #read} found: {@code stored} every index present in {@code (after, upTo]}, ascending; {@code events} the wanted ones. */
    record Range(long after, long upTo, long[] stored, List<Event> events) {
    }
}
