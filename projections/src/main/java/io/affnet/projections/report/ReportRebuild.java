package io.affnet.projections.report;

import io.affnet.api.report.ReportRebuilds;
import io.affnet.api.report.ReportSchema;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rebuilds the report views without downtime: creates the next index versions (set up for bulk
 * loading: no refreshes, no replicas, asynchronous translog), stops the report processor and points its
 * writes at them, while readers keep using the aliases (the old versions, frozen at the moment the
 * rebuild began). The history up to the store's head is then written by the bulk phase
 * ({@link ReportBulkLoad}: ranges of the global index read by SQL, the processor's own {@link ReportBatch}
 * writing them from several threads), the processor's tokens are reset to where it stopped (with the gaps
 * it saw) and the processor takes the tail. Without a bulk phase the tokens are reset to the start and the
 * processor replays the whole history. When every segment has
 * caught up, the new versions get the live settings back and a refresh, then each alias swaps to its
 * new version in one atomic request and the old version is dropped.
 * Only this processor is reset: nothing else sees the replay, so no side effect fires twice.
 * The HTTP edge asks for it through the {@link ReportRebuilds} port.
 */
public class ReportRebuild implements ReportRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ReportRebuild.class);

    private static final Duration PROGRESS_LOG_EVERY = Duration.ofSeconds(10);

    /** {@code status} moved on to {@code newState}. */
    private static Status with(Status status, String newState, Instant finished, String failure, Progress p) {
        return new Status(status.view(), newState, status.indices(), status.startedAt(), finished, failure, p);
    }

    /** The progress after {@code done} of {@code total} events in {@code elapsed}: percent rounded down to a tenth. */
    static Progress progress(long done, long total, Duration elapsed) {
        long d = Math.max(0, Math.min(done, total));
        double percent = total <= 0 ? 100.0 : Math.floor(d * 1000.0 / total) / 10.0;
        Long eta = null;
        if (d > 0 && elapsed.toMillis() > 0) {
            eta = (long) Math.ceil((total - d) * (elapsed.toMillis() / 1000.0) / d);
        }
        return new Progress(d, total, percent, eta);
    }

    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final StreamableMessageSource<TrackedEventMessage<?>> eventStore;
    private final ReportViews views;
    private final Clock clock;
    private final Duration timeout;
    private final AtomicReference<Status> current = new AtomicReference<>();
    private final ReportBulkLoad bulk;
    private volatile boolean bulkEnabled;
    private volatile long lastBulkEvents = -1;

    /** {@code bulk}: the bulk phase ({@link ReportBulkLoad}), null to replay through the processor alone. */
    public ReportRebuild(EventProcessingConfiguration processing, TokenStore tokenStore,
                         StreamableMessageSource<TrackedEventMessage<?>> eventStore, ReportViews views, Clock clock, Duration timeout,
                         ReportBulkLoad bulk) {
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.eventStore = eventStore;
        this.views = views;
        this.clock = clock;
        this.timeout = timeout;
        this.bulk = bulk;
        this.bulkEnabled = bulk != null;
    }

    /**
     * Whether the next rebuild reads the history in bulk before the processor takes the tail (the
     * default when there is a bulk phase), or replays it all through the processor (the path a test
     * compares it with).
     */
    public void useBulkLoad(boolean enabled) {
        if (enabled && bulk == null) {
            throw new IllegalStateException("no bulk load configured (an event store without ranges of a global index)");
        }
        this.bulkEnabled = enabled;
    }

    /** Events the last rebuild's bulk phase wrote, -1 if it had none. */
    public long lastBulkEvents() {
        return lastBulkEvents;
    }

    @Override
    public Status status() {
        return current.get();
    }

    /** One view the rebuild replaces: its alias, the index serving now, the one being built, its mapping. */
    private record Swap(String alias, String old, String next, String mapping) {
    }

    @Override
    public synchronized Status start() {
        Status running = current.get();
        if (running != null && running.state().equals("RUNNING")) {
            return running;
        }
        List<Swap> swaps = List.of(swap(views.clicksAlias(), ReportSchema.MAPPING),
                swap(views.conversionsAlias(), ReportSchema.MAPPING),
                swap(views.rollupsAlias(), ReportSchema.ROLLUP_MAPPING));
        Map<String, String> indices = new LinkedHashMap<>();
        swaps.forEach(s -> indices.put(s.alias(), s.next()));
        Status status = new Status(VIEW, "RUNNING", Map.copyOf(indices), clock.instant(), null, null, null);
        current.set(status);
        lastBulkEvents = -1;
        Thread worker = new Thread(() -> run(status, swaps), "report-rebuild");
        worker.setDaemon(true);
        worker.start();
        return status;
    }

    private Swap swap(String alias, String mapping) {
        String old = views.indices().currentIndex(alias);
        return new Swap(alias, old, alias + "-v" + SearchIndicesVersions.next(old), mapping);
    }

    private void run(Status status, List<Swap> swaps) {
        PooledStreamingEventProcessor processor = processing
                .eventProcessor(ReportProjection.GROUP, PooledStreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no pooled processor " + ReportProjection.GROUP));
        try {
            for (Swap s : swaps) {
                views.indices().createIndex(s.next(), s.mapping());
            }
            processor.shutDown();
            views.redirect(new ReportViews.Targets(swaps.get(0).next(), swaps.get(1).next(), swaps.get(2).next()));
            long head = headPosition();
            Instant replayStarted = clock.instant();
            ReportBulkLoad bulkLoad = bulkEnabled ? bulk : null;
            long bulkDone = 0;
            if (bulkLoad != null && head > 0) {
                log.info("Rebuilding report views into {}: bulk phase up to global index {}", swaps.stream().map(Swap::next).toList(), head);
                ReportBulkLoad.Result read = bulkLoad.load(head, views.targets(), done ->
                        current.set(with(status, "RUNNING", null, null, progress(done, head + 1, Duration.between(replayStarted, clock.instant())))));
                lastBulkEvents = read.events();
                log.info("Report views bulk phase: {} events up to global index {} in {} s; the processor takes over there ({} gaps: {})",
                        read.events(), head, Duration.between(replayStarted, clock.instant()).toSeconds(), read.gaps().length,
                        Arrays.toString(Arrays.copyOf(read.gaps(), Math.min(20, read.gaps().length))));
                processor.resetTokens(read.token());
                bulkDone = head + 1;
            } else {
                processor.resetTokens();
            }
            processor.start();
            log.info("Rebuilding report views into {}", swaps.stream().map(Swap::next).toList());
            Instant deadline = replayStarted.plus(timeout);
            Instant nextLog = replayStarted.plus(PROGRESS_LOG_EVERY);
            while (!caughtUp(processor, head)) {
                Instant now = clock.instant();
                if (now.isAfter(deadline)) {
                    throw new IllegalStateException("replay did not catch up within " + timeout);
                }
                Progress progress = progress(Math.max(bulkDone, lowestPosition(processor) + 1), head + 1, Duration.between(replayStarted, now));
                current.set(with(status, "RUNNING", null, null, progress));
                if (!now.isBefore(nextLog)) {
                    log.info("Rebuilding report views: {} % ({} of {} events), ETA {}", progress.percent(),
                            progress.eventsDone(), progress.eventsTotal(),
                            progress.etaSeconds() == null ? "unknown" : progress.etaSeconds() + " s");
                    nextLog = now.plus(PROGRESS_LOG_EVERY);
                }
                Thread.sleep(100);
            }
            Progress done = progress(head + 1, head + 1, Duration.between(replayStarted, clock.instant()));
            current.set(with(status, "RUNNING", null, null, done));
            for (Swap s : swaps) {
                views.indices().goLive(s.next(), s.old(), views.refreshInterval());
            }
            // Filled from the whole history: the reports may count clicks from it.
            views.indices().putMeta(swaps.get(2).next(), ReportSchema.META_COMPLETE, ReportSchema.COMPLETE);
            for (Swap s : swaps) {
                views.indices().swap(s.alias(), s.old(), s.next());
            }
            views.backToAliases();
            current.set(with(status, "DONE", clock.instant(), null, done));
            log.info("Report views rebuilt: {} events in {} s", head + 1,
                    Duration.between(status.startedAt(), clock.instant()).toSeconds());
        } catch (Exception e) {
            log.error("Report rebuild failed; the aliases still point at the previous versions", e);
            // Writes go back to the aliases; the half-built index is left for inspection and replaced by the next rebuild.
            views.backToAliases();
            if (!processor.isRunning()) {
                processor.start();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Status last = current.get();
            current.set(with(status, "FAILED", clock.instant(), e.getMessage(), last == null ? null : last.progress()));
        }
    }

    private long headPosition() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** The lowest position among the segments this node replays (-1 before any event). */
    private static long lowestPosition(PooledStreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(st -> st.getCurrentPosition().orElse(-1)).min().orElse(-1);
    }

    /**
     * Caught up = every segment claimed here, at or past the head the replay started from. (A replay
     * token only leaves replay mode when an event newer than the reset point arrives, so replay mode
     * itself is no signal on a quiet store.)
     */
    private boolean caughtUp(PooledStreamingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
        // Every segment must be claimed here: one held by another node would be replayed there, into
        // the index version that node writes to.
        return segments.size() == tokenStore.fetchSegments(ReportProjection.GROUP).length
                && segments.values().stream().allMatch(s -> s.isCaughtUp() && !s.isErrorState()
                && s.getCurrentPosition().orElse(-1) >= head);
    }

    /** Version arithmetic on index names ({@code …-v3}). */
    static final class SearchIndicesVersions {
        private SearchIndicesVersions() {
        }

        static int next(String index) {
            return index == null ? 1 : io.affnet.projections.search.SearchIndices.versionOf(index) + 1;
        }
    }
}
