package io.affnet.platform.tenancy;

import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tight limits in their own context; the other tests run with the generous defaults. */
@TestPropertySource(properties = {
        "affnet.limits.api.key-per-second=5", "affnet.limits.api.key-burst=5",
        "affnet.limits.api.tenant-per-second=8", "affnet.limits.api.tenant-burst=8",
        "affnet.limits.tracking.ip-per-second=5", "affnet.limits.tracking.ip-burst=5",
        "affnet.limits.max-body-bytes=2048",
        "affnet.click.client-ip-header=X-Forwarded-For"})
// Its own context (other properties) must not outlive the class: its event processors and outbound
// worker would otherwise compete with the shared context's for segments and deliveries.
@DirtiesContext
class LimitsIT extends PlatformIT {

    @Test
    void aKeyOverItsRateGets429WithRetryAfterWhileOtherKeysGoOn() throws Exception {
        String[] tenant = registerTenant(uniqueSlug("limits"));
        // All at once: sent one after the other on a loaded machine, requests can be slower than the refill.
        List<HttpResponse<String>> answers = atOnce(30, i -> get("/api/v1/offers", tenant[1], null));
        List<HttpResponse<String>> limitedAnswers = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limitedAnswers).isNotEmpty();
        HttpResponse<String> refused = limitedAnswers.get(0);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("rate-limited");

        String[] other = registerTenant(uniqueSlug("limits-other"));
        assertThat(get("/api/v1/offers", other[1], null).statusCode()).isEqualTo(200);
    }

    @Test
    void trackingEndpointsAreLimitedPerClientAddress() throws Exception {
        assertThat(atOnce(30, i -> get("/c/doesNotExist" + i, null, "203.0.113.7")))
                .anyMatch(r -> r.statusCode() == 429);
        // The postback endpoint draws on the same address's budget.
        HttpResponse<String> postback = atOnce(30, i -> get("/postback?click_id=x&token=y", null, "203.0.113.7")).stream()
                .filter(r -> r.statusCode() == 429).findFirst().orElseThrow(() -> new AssertionError("no postback was limited"));
        assertThat(postback.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/c/doesNotExist", null, "198.51.100.9").statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedBodiesAre413WhetherDeclaredOrStreamed() throws Exception {
        String[] tenant = registerTenant(uniqueSlug("limits-body"));
        String big = "{\"name\":\"" + "x".repeat(5000) + "\",\"defaultCurrency\":\"EUR\"}";
        long before = eventCount();
        Response declared = send("POST", "/api/v1/advertisers", tenant[1], big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.contentType()).startsWith("application/problem+json");

        // No Content-Length: the body arrives chunked and is cut off while it is read.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(base + "/api/v1/advertisers"))
                .header("Authorization", "Bearer " + tenant[1]).header("Content-Type", "application/json")
                .POST(new UnknownLength(big)).build();
        HttpResponse<String> streamed = http.send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("body-too-large");
        assertThat(eventCount()).isEqualTo(before);
    }

    private HttpResponse<String> get(String path, String key, String ip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (ip != null) {
            b.header("X-Forwarded-For", ip);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A body publisher that does not tell its length, so the client sends it chunked. */
    private record UnknownLength(String body) implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            HttpRequest.BodyPublishers.ofString(body).subscribe(subscriber);
        }
    }

    private interface Call {
        HttpResponse<String> send(int i) throws Exception;
    }

    /** Sends {@code n} requests from {@code n} threads released together, so they arrive within one refill. */
    private static List<HttpResponse<String>> atOnce(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                sent.add(pool.submit(() -> {
                    go.await();
                    return call.send(index);
                }));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
