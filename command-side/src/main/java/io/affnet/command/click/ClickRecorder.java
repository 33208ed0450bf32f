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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

    /** The click was not appended (it waited too long, or the append failed and the click is not stored): nothing was counted. */
    public static final class NotRecordedException extends RuntimeException {
        public NotRecordedException(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The append failed in a way that may have committed (a connection lost after COMMIT was sent) and
     * the store could not be asked afterwards: the click may or may not be stored.
     */
    public static final class OutcomeUnknownException extends RuntimeException {
        public OutcomeUnknownException(Throwable cause) {
            super("the append's outcome is unknown: " + cause, null, false, false);
        }
    }

    private record Pending(DomainEventMessage<ClickRecordedEvent> event, byte[] uniqueKey, CompletableFuture<Void> done,
                           long queuedAt) {
    }

    private static final int RESOLVE_ATTEMPTS = 2;
    private static final long RESOLVE_PAUSE_MS = 500;

    private final EventStore eventStore;
    private final UniqueClicks uniqueClicks;
    private final StoredClicks storedClicks;
    private final long maxWaitNanos;
    /** How long the last append took (written by the writers after each): what a click drained now still has to wait. */
    private volatile long lastAppendNanos;
    private final AtomicLong resolvedStored = new AtomicLong();
    private final AtomicLong unresolved = new AtomicLong();
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final int writers;
    private final WriterThreads threads = new WriterThreads();
    private final AtomicLong appends = new AtomicLong();
    private final AtomicLong appended = new AtomicLong();
    private volatile boolean running;
    private ScheduledExecutorService reaper;
    private long statsAt = System.nanoTime();
    private long statsAppends;
    private long statsAppended;

    /**
     * @param maxWaitMillis how long a click may wait for its append; one that queued longer (less the last
     *                      append's duration) is answered "not recorded" without being appended (a stalled or
     *                      slow database must not hold visitors)
     */
    public ClickRecorder(EventStore eventStore, UniqueClicks uniqueClicks, StoredClicks storedClicks, int queueCapacity,
                         int maxBatch, int writers, long maxWaitMillis) {
        this.eventStore = eventStore;
        this.uniqueClicks = uniqueClicks;
        this.storedClicks = storedClicks;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
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
        if (!queue.offer(new Pending(message, uniqueClicks.key(click), done, System.nanoTime()))) {
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
                shedStale(batch);
                if (batch.isEmpty()) {
                    continue;
                }
                for (Pending p : batch) {
                    keys.add(p.uniqueKey());
                }
                Boolean[] unique = uniqueClicks.decide(keys);
                for (int i = 0; i < batch.size(); i++) {
                    DomainEventMessage<ClickRecordedEvent> event = batch.get(i).event();
                    events.add(unique == null ? event : withUnique(event, unique[i]));
                }
                long appendStart = System.nanoTime();
                try {
                    eventStore.publish(events);
                    lastAppendNanos = System.nanoTime() - appendStart;
                    for (Pending p : batch) {
                        p.done().complete(null);
                    }
                    appends.incrementAndGet();
                    appended.addAndGet(batch.size());
                    if (log.isDebugEnabled()) {
                        logStats();
                    }
                } catch (RuntimeException e) {
                    lastAppendNanos = System.nanoTime() - appendStart;
                    settleFailedAppend(batch, keys, unique, e);
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

    /**
     * Every half second, while the writers may be held by a stalled database: clicks still queued past
     * the maximum wait are taken out of the queue (so they are never appended) and answered "not recorded".
     */
    private void reapQueue() {
        long now = System.nanoTime();
        long limit = queueLimitNanos();
        List<Pending> reaped = new ArrayList<>();
        queue.removeIf(p -> now - p.queuedAt() > limit && reaped.add(p));
        // Answered outside the queue's lock: an answer writes the response.
        for (Pending p : reaped) {
            p.done().completeExceptionally(new NotRecordedException("waited longer than the maximum for the event store"));
        }
        if (!reaped.isEmpty()) {
            log.warn("{} queued clicks waited longer than {} ms for the event store and were not recorded", reaped.size(),
                    TimeUnit.NANOSECONDS.toMillis(limit));
        }
    }

    /** Answers "not recorded" to clicks that waited longer than the maximum, so they are not appended. */
    private void shedStale(List<Pending> batch) {
        long now = System.nanoTime();
        long limit = queueLimitNanos();
        int shed = 0;
        for (java.util.Iterator<Pending> it = batch.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.queuedAt() > limit) {
                p.done().completeExceptionally(new NotRecordedException("waited longer than the maximum for the event store"));
                it.remove();
                shed++;
            }
        }
        if (shed > 0) {
            log.warn("{} clicks waited longer than {} ms for the event store and were not recorded", shed,
                    TimeUnit.NANOSECONDS.toMillis(limit));
        }
    }

    /**
     * How long a click may have queued and still be appended: the maximum wait less what the last append took
     * (the time a click drained now still has ahead of it), so the whole answer stays within about the maximum
     * when the database is slow; never less than half the maximum, so one slow append cannot shed everything.
     * With a fast database this is the maximum wait.
     */
    private long queueLimitNanos() {
        return Math.max(maxWaitNanos - lastAppendNanos, maxWaitNanos / 2);
    }

    /**
     * An append failed. A connection lost after COMMIT was sent may still have committed it, so the
     * store is asked which of the batch's clicks are there (a few times, briefly): those are answered as
     * recorded, the others as not recorded (and their unique keys forgotten). If the store cannot be
     * asked, the answer says the outcome is unknown rather than "nothing was counted".
     */
    private void settleFailedAppend(List<Pending> batch, List<byte[]> keys, Boolean[] unique, RuntimeException failure) {
        List<String> ids = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            ids.add(p.event().getAggregateIdentifier());
        }
        java.util.Set<String> stored = null;
        if (neverBegan(failure)) {
            // No transaction began (no connection within the pool's timeout): nothing was sent, nothing is
            // stored, and asking the store would only wait for a connection again.
            stored = java.util.Set.of();
        }
        for (int attempt = 0; attempt < RESOLVE_ATTEMPTS && stored == null; attempt++) {
            try {
                if (attempt > 0) {
                    Thread.sleep(RESOLVE_PAUSE_MS);
                }
                stored = storedClicks.stored(ids);
            } catch (RuntimeException e) {
                log.debug("Could not ask the event store which clicks are stored: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stored == null) {
            unresolved.addAndGet(batch.size());
            log.error("Could not append {} clicks to the event store, nor learn afterwards whether they were stored;"
                    + " their requests are answered 'outcome unknown'", batch.size(), failure);
            for (Pending p : batch) {
                p.done().completeExceptionally(new OutcomeUnknownException(failure));
            }
            return;
        }
        List<byte[]> forget = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (stored.contains(ids.get(i))) {
                found++;
                p.done().complete(null);
            } else {
                p.done().completeExceptionally(new NotRecordedException("the append failed: " + failure));
                if (unique != null && Boolean.TRUE.equals(unique[i])) {
                    forget.add(keys.get(i));
                }
            }
        }
        if (found > 0) {
            resolvedStored.addAndGet(found);
            appended.addAndGet(found);
        }
        log.error("Could not append {} clicks to the event store; {} of them were stored after all (answered as recorded),"
                + " the others fail", batch.size(), found, failure);
        if (!forget.isEmpty()) {
            uniqueClicks.forget(forget);
        }
    }

    /** The append failed before its transaction began (Spring could not open one: no connection). */
    static boolean neverBegan(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.transaction.CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    /** Clicks whose append failed but which were found stored afterwards (an ambiguous commit), since start. */
    public long resolvedStored() {
        return resolvedStored.get();
    }

    /** Clicks answered "outcome unknown" since start. */
    public long unresolved() {
        return unresolved.get();
    }

    /** The same message (identifier, metadata, timestamp) with the click's unique flag set. */
    private static DomainEventMessage<ClickRecordedEvent> withUnique(DomainEventMessage<ClickRecordedEvent> event, Boolean unique) {
        return new GenericDomainEventMessage<>(event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(),
                event.getPayload().withUnique(unique), event.getMetaData(), event.getIdentifier(), event.getTimestamp());
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
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "click-queue-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reapQueue, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Stops taking clicks and lets the writers commit what is queued before the event store closes. */
    @Override
    public void stop() {
        running = false;
        if (reaper != null) {
            reaper.shutdownNow();
        }
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
