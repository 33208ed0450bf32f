package io.affnet.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The timeout of an asynchronous tracking request, answered by the servlet (a 503 problem with
 * {@code Retry-After}) rather than by the container's error page (a 500). Whoever answers first — the
 * request's own outcome ({@link #claim()}) or the timeout — answers; the other does nothing.
 */
public final class AsyncTimeout {

    /** Writes the answer for a request that timed out. */
    @FunctionalInterface
    public interface Answer {
        void write(HttpServletResponse response) throws IOException;
    }

    private final AtomicBoolean answered = new AtomicBoolean();

    private AsyncTimeout() {
    }

    public static AsyncTimeout on(AsyncContext async, long timeoutMillis, Answer onTimeout) {
        AsyncTimeout timeout = new AsyncTimeout();
        async.setTimeout(timeoutMillis);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (timeout.claim()) {
                    try {
                        onTimeout.write((HttpServletResponse) event.getAsyncContext().getResponse());
                    } finally {
                        event.getAsyncContext().complete();
                    }
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                // nothing to do
            }

            @Override
            public void onError(AsyncEvent event) {
                // the connection failed: nobody to answer
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        return timeout;
    }

    /** True for the first caller only: it answers the request. */
    public boolean claim() {
        return answered.compareAndSet(false, true);
    }
}
