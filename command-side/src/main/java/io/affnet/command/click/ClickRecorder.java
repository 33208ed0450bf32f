package io.affnet.command.click;

import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.command.WriterThreads;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit for clicks. Requests hand their {@link ClickRecordedEvent} to a queue and wait; writer
 * threads take whatever has queued up (up to {@code maxBatch}) and append it to the event store in one
 * transaction, then release every waiting request. While one batch commits, the next one fills, so
 * the cost of a commit is shared by all clicks that arrived meanwhile, and a 302 is only ever sent for
 * a click that is durably in the event store.
 * <p>
 * Each click is the first event (sequence 0) of its own {@code Click} aggregate, which later receives
 * the conversions reported for it.
 * <p>
 * One writer is the default: measured on 2 cores it gave larger batches, fewer transactions and
 * 1.2-2.3 times the throughput of two (docs/bench-clicks.md). More writers only pay where a commit is slow
 * compared with the time it takes to fill a batch.
 * <p>
 * Before the append, the writer asks {@link UniqueClicks} once for the whole batch which clicks are
 * unique and records each click with its flag; a click of a visitor already in the batch is not unique.
 */
public class ClickRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClickRecorder.class);

    /** The recorder's queue is full: the platform is overloaded and sheds this click rather than queue without bound. */
    public static final class OverloadedException extends RuntimeException {
        public OverloadedException() {
            super("click queue full", null, false, false);
        }
    }

    private record Pending(DomainEventMessage<ClickRecordedEvent> event, byte[] uniqueKey, CompletableFuture<Void> done) {
    }

    private final EventStore eventStore;
    private final UniqueClicks uniqueClicks;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final int writers;
    private final WriterThreads threads = new WriterThreads();
    private final AtomicLong appends = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private volatile boolean running;
    private long statsAt = System.nanoTime();
    private long statsAppends;
    private long statsAppended;

    public ClickRecorder(EventStore eventStore, UniqueClicks uniqueClicks, int queueCapacity, int maxBatch, int writers) {
        this.eventStore = eventStore;
        this.uniqueClicks = uniqueClicks;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.writers = writers;
    }

    /** Queues the click; the future completes once it is committed, or fails if it could not be. */
    public CompletableFuture<Void> record(ClickRecordedEvent click, MetaData metaData) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("click recorder is not running"));
            return done;
        }
        DomainEventMessage<ClickRecordedEvent> message = new GenericDomainEventMessage<>(
                ClickRecordedEvent.AGGREGATE_TYPE, click.clickId(), 0L, click, metaData);
        if (!queue.offer(new Pending(message, uniqueClicks.key(click), done))) {
            done.completeExceptionally(new OverloadedException());
        }
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        List<DomainEventMessage<?>> events = new ArrayList<>(maxBatch);
        List<byte[]> keys = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                for (Pending p : batch) {
                    keys.add(p.uniqueKey());
                }
                Boolean[] unique = uniqueClicks.decide(keys);
                for (int i = 0; i < batch.size(); i++) {
                    DomainEventMessage<ClickRecordedEvent> event = batch.get(i).event();
                    events.add(unique == null ? event : withUnique(event, unique[i]));
                }
                try {
                    eventStore.publish(events);
                    for (Pending p : batch) {
                        p.done().complete(null);
                    }
                    appends.incrementAndGet();
                    appended.addAndGet(batch.size());
                    if (log.isDebugEnabled()) {
                        logStats();
                    }
                } catch (RuntimeException e) {
                    log.error("Could not append {} clicks to the event store; their requests fail", batch.size(), e);
                    for (Pending p : batch) {
                        p.done().completeExceptionally(e);
                    }
                    if (unique != null) {
                        uniqueClicks.forget(rememberedBy(keys, unique));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
                events.clear();
                keys.clear();
            }
        }
    }

    /** The same message (identifier, metadata, timestamp) with the click's unique flag set. */
    private static DomainEventMessage<ClickRecordedEvent> withUnique(DomainEventMessage<ClickRecordedEvent> event, Boolean unique) {
        return new GenericDomainEventMessage<>(event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(),
                event.getPayload().withUnique(unique), event.getMetaData(), event.getIdentifier(), event.getTimestamp());
    }

    /** The keys this batch's clicks set (the unique ones), to be forgotten when the batch is not recorded. */
    private static List<byte[]> rememberedBy(List<byte[]> keys, Boolean[] unique) {
        List<byte[]> remembered = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (Boolean.TRUE.equals(unique[i])) {
                remembered.add(keys.get(i));
            }
        }
        return remembered;
    }

    /** At DEBUG, every 10 s: appends, clicks and the average batch size since the last line. */
    private synchronized void logStats() {
        long now = System.nanoTime();
        if (now - statsAt < TimeUnit.SECONDS.toNanos(10)) {
            return;
        }
        long a = appends.get();
        long n = appended.get();
        long da = a - statsAppends;
        long dn = n - statsAppended;
        log.debug("click appends: {} with {} clicks in the last {} ms, {} clicks per append on average; {} queued",
                da, dn, TimeUnit.NANOSECONDS.toMillis(now - statsAt), da == 0 ? 0 : String.format("%.1f", (double) dn / da),
                queue.size());
        statsAt = now;
        statsAppends = a;
        statsAppended = n;
    }

    /** Appends (transactions) made since start. */
    public long appends() {
        return appends.get();
    }

    /** Clicks appended since start. */
    public long appended() {
        return appended.get();
    }

    @Override
    public void start() {
        running = true;
        threads.start("click-writer", writers, i -> this::writeLoop);
    }

    /** Stops taking clicks and lets the writers commit what is queued before the event store closes. */
    @Override
    public void stop() {
        running = false;
        threads.join(10_000);
        long a = appends.get();
        long n = appended.get();
        log.info("Click recorder stopped: {} clicks in {} appends ({} per append on average)", n, a,
                a == 0 ? 0 : String.format("%.1f", (double) n / a));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Starts before the web server takes requests; stops only after it has stopped (graceful
        // shutdown first lets in-flight clicks finish, and they need the writers).
        return Integer.MAX_VALUE - 4096;
    }

    public int queued() {
        return queue.size();
    }
}
