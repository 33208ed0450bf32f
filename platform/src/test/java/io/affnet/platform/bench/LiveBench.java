package io.affnet.platform.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./affnet bench live}: not a test (no *Test/*IT name, so the suite skips it). Subscribes to the
 * GraphQL subscription {@code todayCounters} over SSE as the console does, then {@code bench.samples}
 * times follows a tracking link and measures the delay from sending the click to the pushed counter that
 * includes it (the click path, the report projection into Elasticsearch and its refresh, the
 * subscription's 500 ms check, the SSE write). The last line of {@code target/bench-live.txt}:
 * {@code samples=<n> p50_ms=<n> p95_ms=<n> max_ms=<n>}.
 */
class LiveBench extends PlatformIT {

    @Test
    void clickToPushedCounter() throws Exception {
        int samples = Integer.getInteger("bench.samples", 30);
        Traffic t = Traffic.tenant(this, "live-bench", false);
        String offer = t.create("/api/v1/offers", """
                {"name":"Live","advertiserId":"%s","destinationUrl":"https://shop.example/?cid={click_id}","currency":"EUR",
                 "goals":[{"name":"sale","revenue":{"amount":"4.50","currency":"EUR"},"payout":{"amount":"3.00","currency":"EUR"}}]}"""
                .formatted(t.advertiserId));
        String affiliate = t.create("/api/v1/affiliates", "{\"name\":\"Live Aff\",\"email\":\"live@example.com\"}");
        String code = t.link(affiliate, offer);

        BlockingQueue<long[]> pushed = new LinkedBlockingQueue<>(); // {clicks, nanoTime when read}
        HttpRequest subscribe = HttpRequest.newBuilder(URI.create(base + "/graphql")).header("Authorization", "Bearer " + t.key)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"subscription { todayCounters { clicks } }\"}")).build();
        HttpResponse<Stream<String>> stream = http.send(subscribe, HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = stream.body()) {
                lines.filter(l -> l.startsWith("data:")).forEach(l -> {
                    try {
                        JsonNode c = JSON.readTree(l.substring(5)).at("/data/todayCounters/clicks");
                        pushed.add(new long[]{c.asLong(), System.nanoTime()});
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }, "live-bench-reader");
        reader.setDaemon(true);
        reader.start();

        long[] first = pushed.poll(30, TimeUnit.SECONDS);
        if (first == null) {
            throw new AssertionError("no first value from the subscription");
        }
        long clicks = first[0];
        while (!pushed.isEmpty()) {
            clicks = Math.max(clicks, pushed.poll()[0]);
        }
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long sent = System.nanoTime();
            if (t.click(code).statusCode() != 302) {
                throw new AssertionError("the click was not redirected");
            }
            long target = clicks + 1;
            long[] value;
            do {
                value = pushed.poll(30, TimeUnit.SECONDS);
                if (value == null) {
                    throw new AssertionError("no pushed counter reached " + target + " within 30 s");
                }
            } while (value[0] < target);
            clicks = value[0];
            delays.add(TimeUnit.NANOSECONDS.toMillis(value[1] - sent));
        }
        stream.body().close();
        Collections.sort(delays);
        String line = String.format(Locale.ROOT, "samples=%d p50_ms=%d p95_ms=%d max_ms=%d", samples,
                delays.get(delays.size() / 2), delays.get((int) Math.ceil(delays.size() * 0.95) - 1), delays.get(delays.size() - 1));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "bench-live.txt"), "delays_ms=" + delays + "\n" + line + "\n");
    }
}
