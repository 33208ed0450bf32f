package io.affnet.web.degrade;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A circuit breaker in front of a store that request threads may only ask with a bounded wait (Redis on
 * the click, postback and pixel paths). A call runs on a small pool of the breaker's own and the caller
 * waits at most {@code timeout} for it; {@code tripAfter} timeouts or failures in a row (one slow answer
 * on a busy machine is not an outage), or a failed probe, open the breaker, and while it is open callers
 * do not wait at all: they get their fallback at once. A probe ({@link #probe}, called on a
 * schedule by the platform, never by a request) closes it again when the store answers within the
 * request bound. A store that answers, but slower than that bound, is not taken for a healthy one: a late
 * answer to a write the caller did not wait for does not reset the failures in a row, and a late probe
 * answer does not close the breaker.
 * <p>
 * The pool is bounded (threads and queue); a call it cannot take is answered by the fallback too, so a
 * hung store can never hold more than the pool's threads.
 */
public final class StoreBreaker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreBreaker.class);

    private final String store;
    private final long timeoutNanos;
    private final ThreadPoolExecutor pool;
    private volatile boolean open;
    private volatile long openedAt;
    private volatile String lastFailure = "";
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger failuresInARow = new java.util.concurrent.atomic.AtomicInteger();
    private final int tripAfter;

    public StoreBreaker(String store, long timeoutMillis, int threads) {
        this(store, timeoutMillis, threads, 3);
    }

    public StoreBreaker(String store, long timeoutMillis, int threads, int tripAfter) {
        this.store = store;
        this.tripAfter = Math.max(1, tripAfter);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, store + "-breaker");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * The store's answer, or empty (and the fallback is the caller's) when the breaker is open, the pool
     * is full, the call failed or it did not answer within the timeout. Never throws.
     */
    public <T> Optional<T> call(Supplier<T> operation) {
        return within(operation, timeoutNanos);
    }

    /** {@link #call(Supplier)} with a wait of its own, for a caller that has no fallback worth more than a short wait. */
    public <T> Optional<T> call(Supplier<T> operation, long timeoutMillis) {
        return within(operation, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    private <T> Optional<T> within(Supplier<T> operation, long timeoutNanos) {
        if (open) {
            fallbacks.incrementAndGet();
            return Optional.empty();
        }
        Future<T> future;
        try {
            future = pool.submit(operation::get);
        } catch (RejectedExecutionException e) {
            fallbacks.incrementAndGet();
            return Optional.empty();
        }
        try {
            T answer = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            failuresInARow.set(0);
            return Optional.ofNullable(answer);
        } catch (TimeoutException e) {
            future.cancel(true);
            failed("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        } catch (ExecutionException e) {
            failed(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fallbacks.incrementAndGet();
        return Optional.empty();
    }

    /** Runs a write the caller does not wait for (counters, mirrors); skipped while the breaker is open. */
    public void fireAndForget(Runnable operation) {
        if (open) {
            fallbacks.incrementAndGet();
            return;
        }
        try {
            pool.execute(() -> {
                long start = System.nanoTime();
                try {
                    operation.run();
                    answered(System.nanoTime() - start);
                } catch (RuntimeException e) {
                    failed(e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            fallbacks.incrementAndGet();
        }
    }

    /**
     * Asks the store whatever the breaker's state (for the platform's health probe, never a request):
     * an answer within the request bound closes the breaker; failure or no answer within {@code timeoutMillis}
     * opens it; an answer between the two leaves the breaker as it is. Answers
     * whether the store answered.
     */
    public boolean probe(Runnable ping, long timeoutMillis) {
        CompletableFuture<Void> future;
        try {
            future = CompletableFuture.runAsync(ping, pool);
        } catch (RejectedExecutionException e) {
            trip("probe rejected: the pool is full");
            return false;
        }
        long start = System.nanoTime();
        try {
            future.get(timeoutMillis, TimeUnit.MILLISECONDS);
            long took = System.nanoTime() - start;
            if (took > timeoutNanos) {
                // A store that answers, but slower than a request may wait, is no better than a silent one for
                // the request paths: the probe does not close the breaker for it (nor opens it: a busy machine
                // can make one answer late).
                lastFailure = slow(took);
                return true;
            }
            succeeded();
            return true;
        } catch (TimeoutException e) {
            future.cancel(true);
            trip("no answer to the probe within " + timeoutMillis + " ms");
        } catch (ExecutionException e) {
            trip(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * A write that was not awaited answered: within the request bound it resets the failures in a row; slower,
     * it changes nothing. Before, every success reset the count, so a store slower than the bound, whose awaited
     * calls all timed out, never tripped the breaker: each slow write's success reset the count in between.
     */
    private void answered(long tookNanos) {
        if (tookNanos <= timeoutNanos) {
            failuresInARow.set(0);
        }
    }

    private String slow(long tookNanos) {
        return "answered after " + TimeUnit.NANOSECONDS.toMillis(tookNanos) + " ms, past the "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms a request may wait";
    }

    /** Reports a failure seen outside {@link #call} (a client with its own timeouts); enough in a row open the breaker. */
    public void failed(String why) {
        lastFailure = why;
        if (failuresInARow.incrementAndGet() >= tripAfter) {
            trip(why);
        }
    }

    /** Opens the breaker now (the probe's verdict). */
    private void trip(String why) {
        lastFailure = why;
        if (!open) {
            openedAt = System.currentTimeMillis();
            open = true;
            opened.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = lastWarning.get();
            if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
                log.warn("{} is unavailable ({}): degraded until it answers again", store, why);
            }
        }
    }

    private void succeeded() {
        failuresInARow.set(0);
        if (open) {
            open = false;
            log.info("{} answers again after {} ms: no longer degraded", store, System.currentTimeMillis() - openedAt);
        }
    }

    /** Whether callers get their fallback without asking the store. */
    public boolean isOpen() {
        return open;
    }

    public String store() {
        return store;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** Calls answered by the fallback since start. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Times the breaker opened since start. */
    public long timesOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
