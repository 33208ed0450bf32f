package io.affnet.fakes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a fake's webhook events to the configured endpoint: each after a seeded delay, some twice, so
 * they arrive late, duplicated and out of order. A non-2xx answer is retried (a few times, like the
 * providers, with a short backoff here). What was delivered, and how it was answered, is recorded.
 */
public final class WebhookDispatcher implements AutoCloseable {

    /** One delivery attempt and its answer (status 0: no answer). */
    public record Delivery(String eventId, int attempt, int status) {
    }

    private static final int MAX_ATTEMPTS = 4;

    private final FaultDice dice;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "payment-fake-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public WebhookDispatcher(FaultDice dice) {
        this.dice = dice;
    }

    /** Queues one event; {@code url} null means no endpoint is configured, so nothing is sent. */
    public void emit(String url, String eventId, byte[] body, Map<String, String> headers) {
        if (url == null) {
            return;
        }
        int copies = dice.chance(dice.faults().webhookDuplicate()) ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            schedule(url, eventId, body, headers, 1, dice.upTo(dice.faults().webhookMaxDelay().toMillis()));
        }
    }

    private void schedule(String url, String eventId, byte[] body, Map<String, String> headers, int attempt, long delayMs) {
        inFlight.incrementAndGet();
        scheduler.schedule(() -> {
            try {
                send(url, eventId, body, headers, attempt);
            } finally {
                inFlight.decrementAndGet();
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void send(String url, String eventId, byte[] body, Map<String, String> headers, int attempt) {
        int status = 0;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (deliveries) {
            deliveries.add(new Delivery(eventId, attempt, status));
        }
        if ((status < 200 || status >= 300) && attempt < MAX_ATTEMPTS && !scheduler.isShutdown()) {
            schedule(url, eventId, body, headers, attempt + 1, 50L << attempt);
        }
    }

    /** Deliveries so far, in the order they were answered. */
    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** No delivery is waiting or running. */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
