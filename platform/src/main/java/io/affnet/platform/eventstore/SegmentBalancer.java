package io.affnet.platform.eventstore;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spreads the pooled processors' segments over the live nodes. Axon's pooled processor claims every
 * unclaimed segment it can, so the first node to start holds them all and a second one only works after
 * the first dies. Every {@code every}, each node writes its heartbeat ({@code platform_node}), counts the
 * nodes seen within {@code liveness}, and releases each processor's segments above its fair share
 * (segments / live nodes, rounded up) for a moment, which the other nodes' processors then claim. A node
 * that stops gracefully deletes its row (and Axon releases its claims); a killed one ages out, and its
 * claims expire after the token store's claim timeout (docs/operations.md).
 * <p>
 * In the store configuration because it reads Axon's token table (how many segments each processor has).
 */
public class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final Duration every;
    private final Duration liveness;
    private final String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private ScheduledExecutorService executor;
    private volatile boolean running;

    public SegmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, Duration every, Duration liveness) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.every = every;
        this.liveness = liveness;
    }

    /** One round: heartbeat, live nodes, release of surplus segments. Answers the segments released. */
    public int balance() {
        jdbc.update("INSERT INTO platform_node (node_id, seen_at, started_at) VALUES (?, now(), now())"
                + " ON CONFLICT (node_id) DO UPDATE SET seen_at = now()", nodeId);
        Integer live = jdbc.queryForObject("SELECT count(*) FROM platform_node WHERE seen_at > now() - make_interval(secs => ?)",
                Integer.class, liveness.toMillis() / 1000.0);
        int nodes = Math.max(1, live == null ? 1 : live);
        if (nodes == 1) {
            return 0;
        }
        Map<String, Integer> segments = new HashMap<>();
        jdbc.query("SELECT processorname, count(*) FROM tokenentry GROUP BY processorname",
                rs -> {
                    segments.put(rs.getString(1), rs.getInt(2));
                });
        int released = 0;
        for (PooledStreamingEventProcessor processor : processing.eventProcessors().values().stream()
                .filter(PooledStreamingEventProcessor.class::isInstance).map(PooledStreamingEventProcessor.class::cast).toList()) {
            int total = segments.getOrDefault(processor.getName(), 0);
            int share = (total + nodes - 1) / nodes;
            List<Integer> claimed = new ArrayList<>(processor.processingStatus().keySet());
            claimed.sort(null);
            for (int i = claimed.size() - 1; i >= share && i >= 0; i--) {
                processor.releaseSegment(claimed.get(i));
                released++;
            }
        }
        if (released > 0) {
            log.info("Released {} processor segments above this node's share ({} live nodes)", released, nodes);
        }
        return released;
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public void start() {
        running = true;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segment-balancer");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                balance();
            } catch (RuntimeException e) {
                log.debug("Segment balancing skipped: {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        try {
            jdbc.update("DELETE FROM platform_node WHERE node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("Could not remove this node from platform_node: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
