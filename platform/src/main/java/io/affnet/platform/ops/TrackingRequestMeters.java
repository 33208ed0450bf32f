package io.affnet.platform.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the answers of the postback endpoints ({@code /postback}, the pixel {@code /p}) by HTTP status,
 * once the answer is final (after an asynchronous wait too). The request observations of these paths
 * are switched off for their cost; this is one counter increment per request.
 */
public class TrackingRequestMeters implements Filter {

    static final String NAME = "affnet.postbacks";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TrackingRequestMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse answer = (HttpServletResponse) response;
        String endpoint = "/p".equals(http.getRequestURI()) ? "pixel" : "postback";
        try {
            chain.doFilter(request, response);
        } finally {
            if (http.isAsyncStarted()) {
                http.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        count(endpoint, ((HttpServletResponse) event.getSuppliedResponse()).getStatus());
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            } else {
                count(endpoint, answer.getStatus());
            }
        }
    }

    private void count(String endpoint, int status) {
        counters.computeIfAbsent(endpoint + status, k -> Counter.builder(NAME)
                .description("Postbacks and pixel hits answered, by HTTP status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry)).increment();
    }
}
