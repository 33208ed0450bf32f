package io.affnet.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The writer threads of the group-commit queues (clicks, conversions): started by name and number, and
 * joined on stop so that what is queued is committed before the stores close.
 */
public final class WriterThreads {

    private final List<Thread> threads = new ArrayList<>();

    /** Starts {@code count} threads named {@code prefix-i}, thread i running {@code loop.apply(i)}. */
    public void start(String prefix, int count, IntFunction<Runnable> loop) {
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(loop.apply(i), prefix + "-" + i);
            t.setDaemon(false);
            t.start();
            threads.add(t);
        }
    }

    /** Waits up to {@code millis} for each thread to finish its loop. */
    public void join(long millis) {
        for (Thread t : threads) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }
}
