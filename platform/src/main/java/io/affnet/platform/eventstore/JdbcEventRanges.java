package io.affnet.platform.eventstore;

import io.affnet.projections.report.EventRanges;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * {@link EventRanges} on Axon's JDBC event table: one query per range of the global index (the primary
 * key). Every row's index comes back (so the caller sees the indices the range does not hold: gaps of
 * transactions not committed yet, or never); only the rows of the wanted payload types bring their
 * payload and metadata, which are upcast and deserialised through the engine's serializer and upcaster
 * chain, as the storage engine hands events to a processor.
 */
public class JdbcEventRanges implements EventRanges {

    private static final String RANGE = """
            SELECT globalindex, CASE WHEN payloadtype = ANY (?) THEN 1 ELSE 0 END, eventidentifier, aggregateidentifier,
                   sequencenumber, type, "timestamp", payloadtype, payloadrevision,
                   CASE WHEN payloadtype = ANY (?) THEN payload END, CASE WHEN payloadtype = ANY (?) THEN metadata END
            FROM domainevententry WHERE globalindex > ? AND globalindex <= ? ORDER BY globalindex""";

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final EventUpcaster upcasters;

    public JdbcEventRanges(JdbcTemplate jdbc, Serializer serializer, EventUpcaster upcasters) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.upcasters = upcasters;
    }

    @Override
    public long head() {
        Long max = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
        return max == null ? -1 : max;
    }

    @Override
    public Range read(long after, long upTo, Collection<Class<?>> payloadTypes) {
        String[] types = payloadTypes.stream().map(t -> serializer.typeForClass(t).getName()).toArray(String[]::new);
        long[] stored = new long[(int) Math.min(Math.max(upTo - after, 0), 1 << 20)];
        int[] count = {0};
        List<TrackedEventData<?>> wanted = new ArrayList<>();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(RANGE);
            // Binary transfer from the first execution (see JdbcEventBatches#tenantEvents).
            if (ps.isWrapperFor(PGStatement.class)) {
                ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
            }
            ps.setFetchSize(2000);
            for (int i = 1; i <= 3; i++) {
                ps.setArray(i, con.createArrayOf("varchar", types));
            }
            ps.setLong(4, after);
            ps.setLong(5, upTo);
            return ps;
        }, (ResultSet rs) -> {
            long index = rs.getLong(1);
            if (count[0] == stored.length) {
                throw new IllegalStateException("more rows than indices in (" + after + ", " + upTo + "]");
            }
            stored[count[0]++] = index;
            if (rs.getInt(2) == 1) {
                wanted.add(new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(index), new GenericDomainEventEntry<>(
                        rs.getString(6), rs.getString(4), rs.getLong(5), rs.getString(3), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getBytes(10), rs.getBytes(11))));
            }
        });
        List<Event> events = new ArrayList<>(wanted.size());
        EventUtils.upcastAndDeserializeTrackedEvents(wanted.stream(), serializer, upcasters).forEach(m -> events.add(
                new Event(((GlobalSequenceTrackingToken) m.trackingToken()).getGlobalIndex(), m.getIdentifier(), payload(m))));
        return new Range(after, upTo, Arrays.copyOf(stored, count[0]), events);
    }

    private static Object payload(TrackedEventMessage<?> m) {
        return m.getPayload();
    }
}
