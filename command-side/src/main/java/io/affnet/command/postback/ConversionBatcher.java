package io.affnet.command.postback;

import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.command.WriterThreads;
import io.affnet.domain.click.ConversionRefusedException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import io.affnet.web.problem.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Group commit for conversions, the postback's counterpart of {@code ClickRecorder}. Requests queue
 * their {@link RecordConversionCommand} and wait; a writer takes whatever has queued up and handles
 * every command in one database transaction: each in a nested unit of work of its own (its own
 * correlation data, its events appended with the others at the end), all committed together. A request
 * is answered only after that commit, so an {@code accepted} is always durable.
 * <p>
 * The events of the batch's clicks are read with one query before the first command ({@link ClickPrefetch}), and
 * the transaction ids its conversions claim are inserted with one statement just before the commit
 * ({@link JdbcTransactionIds#flushDeferred}). When one of them is found held by a conversion outside the batch,
 * the batch is rolled back and tried once more with those ids known taken (its conversions of them become
 * duplicates, as a claim inserted at once would have made them).
 * Commands for one click always go to the same writer (by the click id's hash) and are handled in
 * arrival order, so within a batch a repeat sees the conversion before it: twenty identical postbacks in
 * one batch still make one conversion.
 * <p>
 * A command refused before it writes anything (a suspended tenant, a sender outside the advertiser's
 * allowlist: a {@link ConversionRefusedException}) fails alone. Anything else
 * that goes wrong — another node appending to the same click first, a database error — rolls the whole
 * batch back, and its commands are then handled one by one through {@code fallback} (the command bus,
 * one transaction each, as without batching), so one bad command never fails the others.
 * <p>
 * Bounded waits (issue 17, slow stores): a command waits at most {@code maxWait} in the queue; older ones
 * are taken out, never handled, and answered 503 {@code postback-overloaded} ("nothing was counted"), by
 * the writer when it drains them and by a reaper every half second while the writer is held by a slow or
 * stalled database. A full queue answers the same at once (before issue 17 the command was then handled
 * on the request thread, which let a slow database hold every request thread). A transaction takes
 * commands until it has run for a fifth of {@code maxWait} (then it commits and the rest of the drained
 * batch goes on in the next), so a slow database makes transactions smaller instead of making a batch of
 * a hundred take a hundred times its latency while the postbacks behind it wait.
 */
public class ConversionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConversionBatcher.class);

    private record Pending(RecordConversionCommand command, CompletableFuture<PostbackOutcome> done, long queuedAt) {
    }

    /** What went wrong in a batch that is not one command's own refusal: the batch is rolled back. */
    private static final class BatchAborted extends RuntimeException {
        BatchAborted(Throwable cause) {
            super(cause);
        }
    }

    private final ConversionHandler handler;
    private final ClickPrefetch prefetch;
    /** Claims the batch's transaction ids with one statement before its commit (null: one insert per claim). */
    private final JdbcTransactionIds claims;
    private final TransactionManager transactions;
    private final List<CorrelationDataProvider> correlation;
    private final Function<RecordConversionCommand, PostbackOutcome> fallback;
    private final int maxBatch;
    private final long maxWaitNanos;
    /** How long one transaction takes commands before it commits (a fifth of the maximum wait). */
    private final long transactionBudgetNanos;
    /** How long the last transaction took, commit included (written by the writers after each). */
    private volatile long lastTransactionNanos;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final WriterThreads threads = new WriterThreads();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong claimRetries = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private volatile boolean running;
    private ScheduledExecutorService reaper;

    public ConversionBatcher(ConversionHandler handler, ClickPrefetch prefetch, JdbcTransactionIds claims,
                             TransactionManager transactions, List<CorrelationDataProvider> correlation,
                             Function<RecordConversionCommand, PostbackOutcome> fallback,
                             int writers, int queueCapacity, int maxBatch, long maxWaitMillis) {
        this.handler = handler;
        this.prefetch = prefetch;
        this.claims = claims;
        this.transactions = transactions;
        this.correlation = List.copyOf(correlation);
        this.fallback = fallback;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.transactionBudgetNanos = maxWaitNanos / 5;
        for (int i = 0; i < writers; i++) {
            queues.add(new ArrayBlockingQueue<>(queueCapacity));
        }
    }

    /**
     * Queues the command; the future completes with its outcome once its batch has committed, or fails with
     * a 503 {@code postback-overloaded} problem when the queue is full or the command waited longer than the
     * maximum (nothing was counted). Null when the batcher is not running: the caller then handles the
     * command itself.
     */
    public CompletableFuture<PostbackOutcome> submit(RecordConversionCommand command) {
        if (!running) {
            return null;
        }
        int shard = Math.floorMod(command.clickId() == null ? 0 : command.clickId().hashCode(), queues.size());
        Pending pending = new Pending(command, new CompletableFuture<>(), System.nanoTime());
        if (!queues.get(shard).offer(pending)) {
            shed.incrementAndGet();
            pending.done().completeExceptionally(overloaded("the conversion queue is full"));
        }
        return pending.done();
    }

    /** The answer to a command taken out unhandled: a 503 saying nothing was counted. */
    private static ApiProblem overloaded(String why) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "postback-overloaded", "The postback was not recorded ("
                + why + "): nothing was counted. Send it again in a moment.");
    }

    private void writeLoop(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        int prefetchLimit = maxBatch;
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                prefetchLimit = handle(batch, prefetchLimit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.error("Conversion writer failed on a batch of {}", batch.size(), e);
                for (Pending p : batch) {
                    p.done().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Handles a drained batch in as many transactions as the budget needs (one, unless the database is
     * slow), shedding commands that waited too long before each. The first transaction prefetches the clicks
     * of at most {@code prefetchLimit} commands; answers the limit for the next batch: all of a batch when its
     * first transaction handled everything, else twice what it handled (a slow database reads only what
     * the budget lets it use: the events of a hundred clicks took seconds to arrive at 200 ms a round trip).
     */
    private int handle(List<Pending> batch, int prefetchLimit) {
        try {
            List<Pending> left = batch;
            int nextLimit = maxBatch;
            boolean first = true;
            while (true) {
                shedStale(left);
                if (left.isEmpty()) {
                    return nextLimit;
                }
                int size = left.size();
                int done = handleSome(left, first ? prefetchLimit : 0);
                if (first && done < size) {
                    nextLimit = Math.max(2, 2 * done);
                }
                first = false;
                left = left.subList(done, left.size());
            }
        } finally {
            if (prefetch != null) {
                prefetch.clear();
            }
        }
    }

    /** One transaction over a prefix of {@code left}; answers those commands and says how many they were. */
    private int handleSome(List<Pending> left, int prefetchLimit) {
        List<Object> results = new ArrayList<>(left.size());
        int[] attempted = new int[1];
        long start = System.nanoTime();
        try {
            try {
                inOneTransaction(left, prefetchLimit, results, attempted, List.of());
            } catch (BatchAborted e) {
                if (!(e.getCause() instanceof JdbcTransactionIds.Taken taken)) {
                    throw e;
                }
                // Ids of the batch were held by conversions outside it: once more, with those known taken (they become
                // duplicates, as an insert per claim would have made them); anything else goes one by one below.
                claimRetries.incrementAndGet();
                if (prefetch != null) {
                    prefetch.clear();
                }
                results.clear();
                attempted[0] = 0;
                inOneTransaction(left, prefetchLimit, results, attempted, JdbcTransactionIds.takenBy(taken));
            }
        } catch (RuntimeException e) {
            lastTransactionNanos = System.nanoTime() - start;
            if (log.isDebugEnabled()) {
                log.debug("A batch of {} conversions was rolled back ({}); handling them one by one", attempted[0],
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
            // What was prefetched may be what another node's append made stale: the rest reads afresh.
            if (prefetch != null) {
                prefetch.clear();
            }
            // The commands tried in it (all of them when the transaction failed before the first).
            int n = attempted[0] == 0 ? left.size() : attempted[0];
            fallbacks.addAndGet(n);
            long now = System.nanoTime();
            for (Pending p : left.subList(0, n)) {
                if (stale(p, now)) {
                    shed.incrementAndGet();
                    answerTooLate(p);
                    continue;
                }
                try {
                    p.done().complete(fallback.apply(p.command()));
                } catch (RuntimeException one) {
                    p.done().completeExceptionally(one);
                }
                now = System.nanoTime();
            }
            return n;
        }
        lastTransactionNanos = System.nanoTime() - start;
        batches.incrementAndGet();
        handled.addAndGet(results.size());
        for (int i = 0; i < results.size(); i++) {
            Object result = results.get(i);
            if (result instanceof Throwable refused) {
                left.get(i).done().completeExceptionally(refused);
            } else {
                left.get(i).done().complete((PostbackOutcome) result);
            }
        }
        return results.size();
    }

    /**
     * Handles commands of {@code left} in order in one transaction, each's outcome (or the exception that
     * refused it before it wrote anything) added to {@code results}, until the transaction's budget is
     * spent or the next command waited too long (at least one command); then commits.
     */
    private void inOneTransaction(List<Pending> left, int prefetchLimit, List<Object> results, int[] attempted,
                                  List<JdbcTransactionIds.Key> taken) {
        DefaultUnitOfWork<Message<?>> outer = DefaultUnitOfWork.startAndGet(new GenericMessage<>("conversion-batch"));
        long start = System.nanoTime();
        if (claims != null) {
            claims.deferClaims(taken);
        }
        try {
            outer.attachTransaction(transactions);
            int prefetched = Math.min(left.size(), prefetchLimit);
            if (prefetch != null && prefetched > 1) {
                List<String> clickIds = new ArrayList<>(prefetched);
                for (Pending p : left.subList(0, prefetched)) {
                    clickIds.add(p.command().clickId());
                }
                prefetch.load(clickIds);
            }
            for (Pending p : left) {
                if (!results.isEmpty()) {
                    long now = System.nanoTime();
                    if (now - start >= transactionBudgetNanos || stale(p, now)) {
                        break;
                    }
                }
                attempted[0]++;
                CommandMessage<RecordConversionCommand> message = GenericCommandMessage.asCommandMessage(p.command());
                DefaultUnitOfWork<CommandMessage<RecordConversionCommand>> inner = DefaultUnitOfWork.startAndGet(message);
                correlation.forEach(inner::registerCorrelationDataProvider);
                ResultMessage<PostbackOutcome> result = inner.executeWithResult(() -> handler.handle(p.command(), message));
                if (!result.isExceptional()) {
                    results.add(result.getPayload());
                } else if (result.exceptionResult() instanceof ConversionRefusedException refused) {
                    // Refusals (suspended tenant, sender not allowed) are thrown before the handler writes.
                    results.add(refused);
                } else {
                    throw new BatchAborted(result.exceptionResult());
                }
            }
            if (claims != null) {
                // In the transaction, before the events are appended and it commits.
                claims.flushDeferred();
            }
            outer.commit();
        } catch (RuntimeException e) {
            if (outer.isActive()) {
                outer.rollback(e);
            }
            throw e instanceof BatchAborted ? e : new BatchAborted(e);
        } finally {
            if (claims != null) {
                claims.stopDeferring();
            }
        }
    }

    /**
     * Queued too long to be handled now: longer than the maximum wait less what the last transaction took
     * (what a command started now still has ahead of it), never less than half the maximum (one slow
     * transaction must not shed everything). With a fast database this is the maximum wait.
     */
    private boolean stale(Pending p, long now) {
        return now - p.queuedAt() > Math.max(maxWaitNanos - lastTransactionNanos, maxWaitNanos / 2);
    }

    /** The answer to a command taken out because it waited too long: 503, nothing counted. */
    private void answerTooLate(Pending p) {
        p.done().completeExceptionally(overloaded(waitedTooLong()));
    }

    private String waitedTooLong() {
        return "it waited too long for the event store (at most " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms)";
    }

    /** Takes commands that waited longer than the maximum out of a drained batch and answers them. */
    private void shedStale(List<Pending> batch) {
        long now = System.nanoTime();
        int before = batch.size();
        batch.removeIf(p -> {
            if (!stale(p, now)) {
                return false;
            }
            answerTooLate(p);
            return true;
        });
        noteShed(before - batch.size());
    }

    /**
     * Every half second, while the writers may be held by a slow or stalled database: commands still queued
     * past the maximum wait are taken out (so they are never handled) and answered.
     */
    private void reapQueues() {
        long now = System.nanoTime();
        for (BlockingQueue<Pending> queue : queues) {
            List<Pending> reaped = new ArrayList<>();
            queue.removeIf(p -> stale(p, now) && reaped.add(p));
            // Answered outside the queue's lock: an answer writes the response.
            for (Pending p : reaped) {
                answerTooLate(p);
            }
            noteShed(reaped.size());
        }
    }

    private void noteShed(int n) {
        if (n > 0) {
            shed.addAndGet(n);
            log.warn("{} postbacks waited longer than {} ms for the event store and were answered 503, not handled", n,
                    TimeUnit.NANOSECONDS.toMillis(maxWaitNanos));
        }
    }

    /** Commands answered 503 without being handled (queue full, or waited too long) since start. */
    public long shed() {
        return shed.get();
    }

    /** Batches committed since start. */
    public long batches() {
        return batches.get();
    }

    /** Commands handled in committed batches since start. */
    public long handled() {
        return handled.get();
    }

    /** Batches tried again because transaction ids they claimed were held by conversions outside them. */
    public long claimRetries() {
        return claimRetries.get();
    }

    /** Commands handled one by one after their batch was rolled back. */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public void start() {
        running = true;
        threads.start("conversion-writer", queues.size(), i -> () -> writeLoop(queues.get(i)));
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conversion-queue-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reapQueues, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Stops taking commands and lets the writers finish what is queued. */
    @Override
    public void stop() {
        running = false;
        if (reaper != null) {
            reaper.shutdownNow();
        }
        threads.join(10_000);
        long b = batches.get();
        long n = handled.get();
        log.info("Conversion batcher stopped: {} conversions in {} batches ({} per batch on average), {} handled one by one,"
                + " {} answered 503 unhandled, {} batches tried again for transaction ids held outside them", n, b,
                b == 0 ? 0 : String.format("%.1f", (double) n / b), fallbacks.get(), shed.get(), claimRetries.get());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Like the click recorder: up before the web server takes requests, down only after it has stopped.
        return Integer.MAX_VALUE - 4096;
    }
}
