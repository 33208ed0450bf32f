package io.affnet.command.distribution;

import io.affnet.api.click.ClickMetaData;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.SmartLinkContext;
import io.affnet.distribution.Context;
import io.affnet.distribution.LearningConfig;
import io.affnet.distribution.PolicyState;
import io.affnet.distribution.state.StateCodec;
import io.affnet.distribution.state.StatsAccumulator;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Learns from events: smart-link clicks and the conversions that follow them are folded into
 * per-(link, offer, segment) statistics, whose snapshots are written to Redis for every node to decide
 * from. One segment, so one node folds each link's events in order; it keeps the accumulators in
 * memory (restored from Redis when it takes over) and writes snapshots every second. A crash between
 * a write and the processor's token update may count a few events twice in the learning state — a
 * statistical, not a financial, figure; money is never derived from it.
 * <p>With several nodes, the segment can move: a node that no longer holds it (its claim was taken
 * while it stalled, or it released it) neither writes its memory over the new owner's snapshots nor
 * keeps it: the next time it holds the segment it starts again from what Redis has. Events it folded
 * but had not flushed when the segment moved are left out of learning (at most one flush interval).
 */
@ProcessingGroup(DistributionStatsProjection.GROUP)
public class DistributionStatsProjection {

    public static final String GROUP = "distribution-stats";

    private final LearningStates states;
    private final BooleanSupplier holdsSegment;
    private final Map<String, StatsAccumulator> accumulators = new HashMap<>();
    private final Map<String, String> tenantOfLink = new HashMap<>();
    private final Map<String, Boolean> dirty = new HashMap<>();

    public DistributionStatsProjection(LearningStates states) {
        this(states, () -> true);
    }

    /** {@code holdsSegment}: whether this node's processor holds the (only) segment now. */
    public DistributionStatsProjection(LearningStates states, BooleanSupplier holdsSegment) {
        this.states = states;
        this.holdsSegment = holdsSegment;
    }

    /**
     * The clicks this projection has nothing to do with, told from their metadata alone (the payload is
     * not deserialized): its processor's stream leaves them out, so most clicks (those not on a smart
     * link) cost it no handling at all. Clicks recorded before the mark are not left out; the handler
     * below drops them as before.
     */
    public static boolean ignores(EventMessage<?> event) {
        return event.getPayloadType() == ClickRecordedEvent.class && ClickMetaData.markedNotLearning(event.getMetaData());
    }

    @EventHandler
    void on(ClickRecordedEvent click) {
        if (!ClickMetaData.learns(click)) {
            return;
        }
        Context context = new Context(click.country() == null ? "?" : click.country(), click.deviceClass(),
                click.subs().getOrDefault("source", "?"), click.clickedAt().atZone(ZoneOffset.UTC).getHour());
        synchronized (this) {
            accumulator(click.tenantId().value(), click.linkId()).recordClick(click.offerId(), context,
                    click.clickedAt().toEpochMilli());
            dirty.put(click.linkId(), true);
        }
    }

    /**
     * The conversion carries the smart-link context its click captured, so learning needs no lookup of
     * the click. Conversions on other clicks (and ones recorded before the context existed) carry none.
     */
    @EventHandler
    void on(ConversionRecordedEvent conversion) {
        SmartLinkContext link = conversion.smartLink();
        if (conversion.status() == ConversionStatus.REJECTED || link == null || conversion.clickedAt() == null) {
            return;
        }
        Context context = new Context(link.country(), link.deviceClass(), link.source(),
                conversion.clickedAt().atZone(ZoneOffset.UTC).getHour());
        double payout = conversion.payout().minor() / 100.0;
        synchronized (this) {
            accumulator(conversion.tenantId().value(), link.linkId()).recordConversion(conversion.offerId(), context,
                    conversion.clickedAt().toEpochMilli(), conversion.convertedAt().toEpochMilli(), payout);
            dirty.put(link.linkId(), true);
        }
    }

    /**
     * Writes a snapshot of every link that changed since the last flush; when this node does not hold
     * the segment, forgets its memory instead (the holder's snapshots are the truth).
     */
    public void flush() {
        List<PolicyState> snapshots = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (!holdsSegment.getAsBoolean()) {
                forget();
                return;
            }
            for (String linkId : dirty.keySet()) {
                snapshots.add(accumulators.get(linkId).snapshot(now));
                tenants.add(tenantOfLink.get(linkId));
            }
            dirty.clear();
        }
        for (int i = 0; i < snapshots.size(); i++) {
            PolicyState state = snapshots.get(i);
            states.write(tenants.get(i), state);
        }
    }

    @ResetHandler
    void reset() {
        synchronized (this) {
            forget();
        }
        states.clearAll();
    }

    private void forget() {
        accumulators.clear();
        tenantOfLink.clear();
        dirty.clear();
    }

    private StatsAccumulator accumulator(String tenantId, String linkId) {
        StatsAccumulator acc = accumulators.get(linkId);
        if (acc == null) {
            Map<String, String> encoded = states.encoded(tenantId, linkId);
            acc = encoded.isEmpty() ? new StatsAccumulator(linkId, LearningConfig.DEFAULT)
                    : StatsAccumulator.restore(StateCodec.decode(encoded));
            accumulators.put(linkId, acc);
            tenantOfLink.put(linkId, tenantId);
        }
        return acc;
    }
}
