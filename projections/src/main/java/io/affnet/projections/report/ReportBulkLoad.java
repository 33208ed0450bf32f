package io.affnet.projections.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.api.click.ClickRecordedEvent;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.apache.http.client.config.RequestConfig;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The bulk phase of a report rebuild ({@link ReportRebuild}): the history up to a global index, read
 * and written without the event processor. Axon's streaming coordinator is one thread that checks
 * every work package's queue for every event (an O(n) size of a linked queue) and its work packages
 * each wait on their Elasticsearch round trips in turn; here:
 * <ul>
 *     <li><b>readers</b> ({@code readers} threads) read ranges of {@code rangeSize} global indices with one
 *     query each ({@link EventRanges}), only the report views' payload types, and deserialise them, in
 *     parallel;</li>
 *     <li>the calling thread takes the ranges <b>in global order</b>, notes the indices a range does not
 *     hold, and hands each event to one of {@code workers} workers by the same (tenant, offer, affiliate)
 *     key the processor's segments use ({@link ReportSequencingPolicy#keyOf}): a click's events reach one
 *     worker in order, and each click rollup document has one writer;</li>
 *     <li>each <b>worker</b> fills a {@link ReportBatch} (the processor's documents, rollups and writes, the
 *     same code) and flushes it every {@code batchSize} events: one multi-get and one bulk request, several
 *     workers in flight at once.</li>
 * </ul>
 * <b>Rollups and gaps.</b> A batch's rollups count what was read up to its last click: every index up to
 * it except those the ranges did not hold within {@link #GAP_WINDOW} below it (older missing indices count
 * as seen, as the processor's gap-aware token drops gaps more than that far behind its index). The
 * processor then starts from {@link Result#token()}: the last index read, with every index missing in the
 * {@link #GAP_WINDOW} below it as a gap. An event below that index that commits after its range was read
 * (its transaction was still open) is in those gaps, so the processor fetches it when it commits, and no
 * rollup has counted its index, so it is counted then. Further below, the store's own rule applies, as for
 * the processor: a gap more than {@link #GAP_WINDOW} behind is given up.
 */
public final class ReportBulkLoad {

    private static final Logger log = LoggerFactory.getLogger(ReportBulkLoad.class);

    /**
     * How far below an index missing indices are still gaps: Axon's {@code maxGapOffset} of the JDBC
     * storage engine (its default; {@code AxonConfiguration} does not change it).
     */
    static final long GAP_WINDOW = 10_000;

    private static final int FLUSH_ATTEMPTS = 5;

    /**
     * The workers' Elasticsearch requests may take longer than the client's socket timeout (10 s): a bulk
     * of {@code batchSize} events queued behind the other workers' on a loaded node. A request given up
     * on the client's side still runs in Elasticsearch, and its retry would index everything twice.
     */
    private static final RequestOptions REQUESTS = RequestOptions.DEFAULT.toBuilder()
            .setRequestConfig(RequestConfig.custom().setConnectTimeout(2_000).setSocketTimeout(120_000).build()).build();

    /** Handed to a worker after its last events (compared by identity). */
    private static final List<EventRanges.Event> END = new ArrayList<>(0);

    /** {@code readers} reading threads, {@code workers} writing ones, indices per read, events per bulk. */
    public record Settings(int readers, int workers, int rangeSize, int batchSize) {
        public Settings {
            if (readers < 1 || workers < 1 || rangeSize < 1 || batchSize < 1) {
                throw new IllegalArgumentException("report bulk load settings must be positive: " + this);
            }
        }
    }

    /** What the bulk phase read: everything up to {@code upTo} except {@code gaps} (ascending, within the window). */
    record Result(long upTo, long events, long[] gaps) {

        /** Where the processor takes over. */
        TrackingToken token() {
            return GapAwareTrackingToken.newInstance(upTo, Arrays.stream(gaps).boxed().toList());
        }
    }

    private final EventRanges history;
    private final ElasticsearchClient client;
    private final RestClient rest;
    private final TenantCurrencies currencies;
    private final Settings settings;

    public ReportBulkLoad(EventRanges history, ElasticsearchClient client, RestClient rest, TenantCurrencies currencies,
                          Settings settings) {
        this.history = history;
        this.client = client;
        this.rest = rest;
        this.currencies = currencies;
        this.settings = settings;
    }

    long head() {
        return history.head();
    }

    /**
     * Writes the report documents of every event up to global index {@code upTo} into {@code targets};
     * {@code progress} hears the index read so far (plus one). Returns when every worker has written
     * everything; throws if a read or a write failed (after {@value #FLUSH_ATTEMPTS} attempts of a bulk).
     */
    Result load(long upTo, ReportViews.Targets targets, LongConsumer progress) throws InterruptedException {
        Missing missing = new Missing();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) {
            Worker w = new Worker(new ReportBatch(client, rest, currencies, targets, REQUESTS), missing, failure);
            Thread t = new Thread(w, "report-rebuild-write-" + i);
            t.setDaemon(true);
            w.thread = t;
            workers.add(w);
            t.start();
        }
        AtomicInteger readerIds = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(settings.readers(), r -> {
            Thread t = new Thread(r, "report-rebuild-read-" + readerIds.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        long events = 0;
        try {
            Deque<Future<EventRanges.Range>> pending = new ArrayDeque<>();
            // Global indices start at 1 (Axon's lowestGlobalSequence; a BIGSERIAL): 0 is no gap.
            long next = 0;
            while (next < upTo || !pending.isEmpty()) {
                while (next < upTo && pending.size() < settings.readers() + 1) {
                    long after = next;
                    long to = Math.min(upTo, next + settings.rangeSize());
                    pending.add(readers.submit(() -> history.read(after, to, ReportBatch.EVENT_TYPES)));
                    next = to;
                }
                EventRanges.Range range;
                try {
                    range = pending.poll().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("reading the event store for the report rebuild failed", e.getCause());
                }
                missing.addAbsent(range);
                List<List<EventRanges.Event>> chunks = new ArrayList<>(workers.size());
                for (int i = 0; i < workers.size(); i++) {
                    chunks.add(new ArrayList<>());
                }
                for (EventRanges.Event e : range.events()) {
                    String key = ReportSequencingPolicy.keyOf(e.payload());
                    chunks.get(Math.floorMod(key.hashCode(), workers.size())).add(e);
                }
                events += range.events().size();
                for (int i = 0; i < workers.size(); i++) {
                    if (!chunks.get(i).isEmpty()) {
                        hand(workers.get(i), chunks.get(i), failure);
                    }
                }
                progress.accept(range.upTo() + 1);
            }
            for (Worker w : workers) {
                hand(w, END, failure);
            }
            for (Worker w : workers) {
                w.thread.join();
            }
            rethrow(failure);
            return new Result(upTo, events, missing.between(upTo - GAP_WINDOW, upTo));
        } finally {
            readers.shutdownNow();
            for (Worker w : workers) {
                w.thread.interrupt();
            }
        }
    }

    private static void hand(Worker worker, List<EventRanges.Event> chunk, AtomicReference<Throwable> failure) throws InterruptedException {
        while (!worker.queue.offer(chunk, 1, TimeUnit.SECONDS)) {
            rethrow(failure);
        }
        rethrow(failure);
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("writing the report documents failed: " + t.getMessage(), t);
        }
    }

    /** One writing thread: its events in global order, into its own batch. */
    private final class Worker implements Runnable {

        final BlockingQueue<List<EventRanges.Event>> queue = new ArrayBlockingQueue<>(4);
        final ReportBatch batch;
        final Missing missing;
        final AtomicReference<Throwable> failure;
        Thread thread;
        long lastClick = -1;

        Worker(ReportBatch batch, Missing missing, AtomicReference<Throwable> failure) {
            this.batch = batch;
            this.missing = missing;
            this.failure = failure;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    List<EventRanges.Event> chunk = queue.take();
                    if (chunk == END) {
                        flush();
                        return;
                    }
                    for (EventRanges.Event e : chunk) {
                        batch.add(e.payload(), e.eventId(), e.globalIndex());
                        if (e.payload() instanceof ClickRecordedEvent) {
                            lastClick = e.globalIndex();
                        }
                        if (batch.size() >= settings.batchSize()) {
                            flush();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        /** The batch, its rollups counting every index read up to its last click (see the class comment). */
        private void flush() throws InterruptedException {
            SeenPositions delivered = lastClick < 0 ? SeenPositions.NONE
                    : new SeenPositions(lastClick, missing.between(lastClick - GAP_WINDOW, lastClick));
            for (int attempt = 1; ; attempt++) {
                try {
                    batch.flush(delivered);
                    break;
                } catch (RuntimeException e) {
                    // As the processor retries a batch: documents have natural ids, rollups count by index.
                    if (attempt == FLUSH_ATTEMPTS) {
                        throw e;
                    }
                    log.warn("Report rebuild: a bulk of {} events failed (attempt {} of {}), retrying: {}", batch.size(),
                            attempt, FLUSH_ATTEMPTS, e.getMessage());
                    Thread.sleep(1000L * attempt);
                }
            }
            lastClick = -1;
        }
    }

    /**
     * The indices the ranges read so far did not hold, ascending (ranges are added in global order).
     * Read by the workers, appended to by the thread that reads the ranges in order: a worker asks about
     * indices below an event it was handed, which the ranges up to that event have already settled.
     */
    static final class Missing {
        private long[] indices = new long[16];
        private int size;

        synchronized void addAbsent(EventRanges.Range range) {
            long expected = range.after() + 1;
            for (long stored : range.stored()) {
                for (long i = expected; i < stored; i++) {
                    add(i);
                }
                expected = stored + 1;
            }
            for (long i = expected; i <= range.upTo(); i++) {
                add(i);
            }
        }

        private void add(long index) {
            if (size == indices.length) {
                indices = Arrays.copyOf(indices, size * 2);
            }
            indices[size++] = index;
        }

        /** The missing indices in {@code (from, to)}, ascending. */
        synchronized long[] between(long from, long to) {
            int lo = Arrays.binarySearch(indices, 0, size, from + 1);
            lo = lo < 0 ? -lo - 1 : lo;
            int hi = Arrays.binarySearch(indices, 0, size, to);
            hi = hi < 0 ? -hi - 1 : hi;
            return lo >= hi ? new long[0] : Arrays.copyOfRange(indices, lo, hi);
        }
    }
}
