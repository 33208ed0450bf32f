package io.affnet.sagas.delivery;

import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PausePostbackEndpointCommand;
import io.affnet.sagas.secrets.SealedSecrets;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries. One loop per node claims as many as it has free slots (rows locked with
 * SKIP LOCKED, so any number of nodes share the work), and a pool sends them. Each attempt is marked in
 * flight before the request leaves and its outcome written after the answer; a node that dies between
 * the two leaves the row in flight until its lease ends, and the next claim re-sends it with the same
 * {@code Affnet-Delivery-Id}, which the receiver uses to drop the copy.
 */
public class DeliveryWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DeliveryStore store;
    private final PostbackSender sender;
    private final RetryPolicy policy;
    private final OutboundProperties properties;
    private final DeliverySignal signal;
    private final DeliveryFaults faults;
    private final CommandGateway commands;
    private final byte[] sealingKey;
    private final Semaphore slots;
    private volatile boolean running;
    private Thread loop;
    private ExecutorService pool;

    public DeliveryWorker(DeliveryStore store, PostbackSender sender, RetryPolicy policy, OutboundProperties properties,
                          DeliverySignal signal, DeliveryFaults faults, CommandGateway commands) {
        this.store = store;
        this.sender = sender;
        this.policy = policy;
        this.properties = properties;
        this.signal = signal;
        this.faults = faults;
        this.commands = commands;
        this.sealingKey = SealedSecrets.key(properties.secretKey());
        this.slots = new Semaphore(properties.concurrency());
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(properties.concurrency(), r -> {
            Thread t = new Thread(r, "postback-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        running = true;
        loop = new Thread(this::run, "postback-claimer");
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Stops claiming, then lets the attempts under way finish and record their outcome. The claim loop is
     * waited for before the pool shuts: a claim that was running when the stop began hands its rows to
     * the pool (shutting the pool first refused them, and they stayed in flight until their lease ran
     * out: {@code GracefulShutdownIT}).
     */
    @Override
    public void stop() {
        running = false;
        signal.wake();
        if (loop != null) {
            try {
                loop.join(properties.attemptTimeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (loop.isAlive()) {
                loop.interrupt();
            }
        }
        if (pool != null) {
            pool.shutdown();
            try {
                pool.awaitTermination(properties.attemptTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration lease = properties.attemptTimeout().plus(properties.leaseGrace());
        while (running) {
            try {
                int free = slots.availablePermits();
                List<DeliveryStore.Claimed> claimed = free == 0 ? List.of()
                        : store.claim(Math.min(free, properties.batchSize()), lease, properties.pauseAfterFailures());
                for (DeliveryStore.Claimed c : claimed) {
                    slots.acquireUninterruptibly();
                    pool.execute(() -> {
                        try {
                            deliver(c);
                        } finally {
                            slots.release();
                            signal.wake();
                        }
                    });
                }
                if (claimed.isEmpty() || claimed.size() == free) {
                    signal.await(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Claiming outbound postbacks failed; retrying: {}", e.toString());
                try {
                    Thread.sleep(properties.pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    void deliver(DeliveryStore.Claimed c) {
        try {
            PostbackSender.Result result = send(c);
            if (faults.shouldCrashAfterSend(c.deliveryId())) {
                return;
            }
            RetryPolicy.Decision decision = result.refused() ? new RetryPolicy.Decision(RetryPolicy.Kind.DEAD, null)
                    : policy.decide(result.status(), c.roundAttempt(), Duration.between(c.roundStartedAt(), Instant.now()),
                    result.retryAfter());
            int failuresInARow = store.record(c, result, decision);
            if (properties.pauseAfterFailures() > 0 && failuresInARow >= properties.pauseAfterFailures()) {
                commands.sendAndWait(new PausePostbackEndpointCommand(ConfigurePostbackEndpointCommand.endpointIdOf(c.affiliateId()),
                        c.tenantId(), failuresInARow, result.error() != null ? result.error() : "HTTP " + result.status()));
            }
        } catch (RuntimeException e) {
            // Unrecorded: the row stays in flight and is sent again when its lease ends. Pause failed: the
            // failure counter already keeps the endpoint from being claimed; resuming clears it.
            log.warn("Recording outbound postback {} failed: {}", c.deliveryId(), e.toString());
        }
    }

    private PostbackSender.Result send(DeliveryStore.Claimed c) {
        if (c.sealedSecret() == null) {
            return new PostbackSender.Result(0, Map.of(), null, 0, "the endpoint has no signing secret", null, true);
        }
        String secret = SealedSecrets.open(c.sealedSecret(), sealingKey);
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PostbackSignature.SIGNATURE_HEADER, PostbackSignature.header(secret, now, c.method(), c.url(), c.body()));
        headers.put(PostbackSignature.TIMESTAMP_HEADER, Long.toString(now));
        headers.put(PostbackSignature.DELIVERY_ID_HEADER, c.deliveryId());
        headers.put(PostbackSignature.ATTEMPT_HEADER, Integer.toString(c.attempt()));
        headers.put("Affnet-Event", c.trigger());
        return sender.send(c.method(), c.url(), c.body(), headers);
    }
}
