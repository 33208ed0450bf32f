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
import java.util.function.Function;

/**
 * Group commit for conversions, the postback's counterpart of {@code ClickRecorder}. Requests queue
 * their {@link RecordConversionCommand} and wait; a writer takes whatever has queued up and handles
 * every command in one database transaction: each in a nested unit of work of its own (its own
 * correlation data, its events appended with the others at the end), all committed together. A request
 * is answered only after that commit, so an {@code accepted} is always durable.
 * <p>
 * The events of the batch's clicks are read with one query before the first command ({@link ClickPrefetch}).
 * Commands for one click always go to the same writer (by the click id's hash) and are handled in
 * arrival order, so within a batch a repeat sees the conversion before it: twenty identical postbacks in
 * one batch still make one conversion.
 * <p>
 * A command refused before it writes anything (a suspended tenant, a sender outside the advertiser's
 * allowlist: a {@link ConversionRefusedException}) fails alone. Anything else
 * that goes wrong — another node appending to the same click first, a database error — rolls the whole
 * batch back, and its commands are then handled one by one through {@code fallback} (the command bus,
 * one transaction each, as without batching), so one bad command never fails the others.
 */
public class ConversionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConversionBatcher.class);

    private record Pending(RecordConversionCommand command, CompletableFuture<PostbackOutcome> done) {
    }

    /** What went wrong in a batch that is not one command's own refusal: the batch is rolled back. */
    private static final class BatchAborted extends RuntimeException {
        BatchAborted(Throwable cause) {
            super(cause);
        }
    }

    private final ConversionHandler handler;
    private final ClickPrefetch prefetch;
    private final TransactionManager transactions;
    private final List<CorrelationDataProvider> correlation;
    private final Function<RecordConversionCommand, PostbackOutcome> fallback;
    private final int maxBatch;
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();
    private final WriterThreads threads = new WriterThreads();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile boolean running;

    public ConversionBatcher(ConversionHandler handler, ClickPrefetch prefetch, TransactionManager transactions,
                             List<CorrelationDataProvider> correlation,
                             Function<RecordConversionCommand, PostbackOutcome> fallback,
                             int writers, int queueCapacity, int maxBatch) {
        this.handler = handler;
        this.prefetch = prefetch;
        this.transactions = transactions;
        this.correlation = List.copyOf(correlation);
        this.fallback = fallback;
        this.maxBatch = maxBatch;
        for (int i = 0; i < writers; i++) {
            queues.add(new ArrayBlockingQueue<>(queueCapacity));
        }
    }

    /**
     * Queues the command; the future completes with its outcome once its batch has committed. Null when
     * the batcher is not running or its queue is full: the caller then handles the command itself.
     */
    public CompletableFuture<PostbackOutcome> submit(RecordConversionCommand command) {
        if (!running) {
            return null;
        }
        int shard = Math.floorMod(command.clickId() == null ? 0 : command.clickId().hashCode(), queues.size());
        Pending pending = new Pending(command, new CompletableFuture<>());
        return queues.get(shard).offer(pending) ? pending.done() : null;
    }

    private void writeLoop(BlockingQueue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                handle(batch);
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

    private void handle(List<Pending> batch) {
        List<Object> results;
        try {
            results = inOneTransaction(batch);
        } catch (RuntimeException e) {
            if (log.isDebugEnabled()) {
                log.debug("A batch of {} conversions was rolled back ({}); handling them one by one", batch.size(),
                        e.getCause() == null ? e.toString() : e.getCause().toString());
            }
            fallbacks.addAndGet(batch.size());
            for (Pending p : batch) {
                try {
                    p.done().complete(fallback.apply(p.command()));
                } catch (RuntimeException one) {
                    p.done().completeExceptionally(one);
                }
            }
            return;
        }
        batches.incrementAndGet();
        handled.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Object result = results.get(i);
            if (result instanceof Throwable refused) {
                batch.get(i).done().completeExceptionally(refused);
            } else {
                batch.get(i).done().complete((PostbackOutcome) result);
            }
        }
    }

    /** Each command's outcome, or the exception that refused it before it wrote anything. */
    private List<Object> inOneTransaction(List<Pending> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        DefaultUnitOfWork<Message<?>> outer = DefaultUnitOfWork.startAndGet(new GenericMessage<>("conversion-batch"));
        try {
            outer.attachTransaction(transactions);
            if (prefetch != null && batch.size() > 1) {
                List<String> clickIds = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    clickIds.add(p.command().clickId());
                }
                prefetch.load(clickIds);
            }
            for (Pending p : batch) {
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
            outer.commit();
            return results;
        } catch (RuntimeException e) {
            if (outer.isActive()) {
                outer.rollback(e);
            }
            throw e instanceof BatchAborted ? e : new BatchAborted(e);
        } finally {
            if (prefetch != null) {
                prefetch.clear();
            }
        }
    }

    /** Batches committed since start. */
    public long batches() {
        return batches.get();
    }

    /** Commands handled in committed batches since start. */
    public long handled() {
        return handled.get();
    }

    /** Commands handled one by one after their batch was rolled back. */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public void start() {
        running = true;
        threads.start("conversion-writer", queues.size(), i -> () -> writeLoop(queues.get(i)));
    }

    /** Stops taking commands and lets the writers finish what is queued. */
    @Override
    public void stop() {
        running = false;
        threads.join(10_000);
        long b = batches.get();
        long n = handled.get();
        log.info("Conversion batcher stopped: {} conversions in {} batches ({} per batch on average), {} handled one by one",
                n, b, b == 0 ? 0 : String.format("%.1f", (double) n / b), fallbacks.get());
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
