package io.affnet.platform.ops;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Round trips to Redis (PING) and Elasticsearch (GET /_cluster/health) timed every {@code every}, on one
 * daemon thread: the stores' latency as the platform sees it, at no cost to the requests themselves.
 * A failed probe counts in {@code affnet.store.probe.failures}.
 */
public class StoreLatencyProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreLatencyProbe.class);
    static final String LATENCY = "affnet.store.latency";
    static final String FAILURES = "affnet.store.probe.failures";

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-latency-probe");
        t.setDaemon(true);
        return t;
    });

    public StoreLatencyProbe(MeterRegistry registry, RedisConnectionFactory redis, ElasticsearchClient elasticsearch,
                             Duration every) {
        Timer redisTimer = timer(registry, "redis");
        Timer esTimer = timer(registry, "elasticsearch");
        executor.scheduleWithFixedDelay(() -> {
            probe(registry, "redis", redisTimer, () -> {
                try (RedisConnection c = redis.getConnection()) {
                    c.ping();
                }
            });
            probe(registry, "elasticsearch", esTimer, () -> {
                try {
                    // GET /_cluster/health: the node answers it whatever its modules; the minimal
                    // distribution answers GET or HEAD / with 405, so a ping would always fail there.
                    elasticsearch.cluster().health();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Timer timer(MeterRegistry registry, String store) {
        return Timer.builder(LATENCY).description("Round trip of a probe request to the store")
                .tag("store", store).publishPercentileHistogram(false).register(registry);
    }

    private static void probe(MeterRegistry registry, String store, Timer timer, Runnable call) {
        long start = System.nanoTime();
        try {
            call.run();
            timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            registry.counter(FAILURES, "store", store).increment();
            log.debug("{} latency probe failed: {}", store, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
