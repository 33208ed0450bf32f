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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends due deliveries. One loop per node claims as many as it has free slots (rows locked with
 * SKIP LOCKED, so any number of nodes share the work), and a pool sends them. Each attempt is marked in
 * flight with a lease before the request leaves and its outcome written after the answer. While the attempt
 * is under way (sending, then writing its outcome) the node renews its lease every third of it; a failed
 * write of the outcome (the database briefly unreachable) is retried for up to {@code outcome-retry-for}, its
 * lease still renewed, so a short outage neither leaves the delivery in flight nor sends it again. A node that
 * dies between sending and writing stops renewing: the lease ends at most {@code lease} later, and the next
 * claim re-sends the delivery with the same {@code Affnet-Delivery-Id}, which the receiver uses to drop the copy.
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
    /** The attempts under way on this node (attempt id to delivery id), whose leases the renewer extends. */
    private final Map<String, String> underWay = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread loop;
    private ExecutorService pool;
    private ScheduledExecutorService renewer;
    private volatile boolean renewalFailing;

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
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postback-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, properties.lease().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
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
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }

    /** Extends the leases of this node's attempts under way; a failure is retried at the next turn. */
    void renewLeases() {
        if (underWay.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> attempts = List.copyOf(underWay.entrySet());
        try {
            store.renew(attempts.stream().map(Map.Entry::getValue).toArray(String[]::new),
                    attempts.stream().map(Map.Entry::getKey).toArray(String[]::new), properties.lease());
            if (renewalFailing) {
                renewalFailing = false;
                log.info("Renewing outbound postback leases works again ({} attempts under way)", attempts.size());
            }
        } catch (RuntimeException e) {
            if (!renewalFailing) {
                renewalFailing = true;
                log.warn("Renewing the leases of {} outbound postbacks under way failed (retried every {} ms; a lease that "
                        + "runs out meanwhile lets another claim send that delivery again, with the same delivery id): {}",
                        attempts.size(), Math.max(50, properties.lease().toMillis() / 3), e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration lease = properties.lease();
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
        underWay.put(c.attemptId(), c.deliveryId());
        try {
            PostbackSender.Result result = send(c);
            if (faults.shouldCrashAfterSend(c.deliveryId())) {
                return;
            }
            RetryPolicy.Decision decision = result.refused() ? new RetryPolicy.Decision(RetryPolicy.Kind.DEAD, null)
                    : policy.decide(result.status(), c.roundAttempt(), Duration.between(c.roundStartedAt(), Instant.now()),
                    result.retryAfter());
            Integer failuresInARow = recordRetrying(c, result, decision);
            if (failuresInARow != null && properties.pauseAfterFailures() > 0 && failuresInARow >= properties.pauseAfterFailures()) {
                String reason = result.error() != null ? result.error() : "HTTP " + result.status();
                commands.sendAndWait(new PausePostbackEndpointCommand(ConfigurePostbackEndpointCommand.endpointIdOf(c.affiliateId()),
                        c.tenantId(), failuresInARow, reason));
                // An operator must be able to see why an affiliate's postbacks stopped without asking the API first.
                log.warn("Paused the outbound postback endpoint of affiliate {} (tenant {}) after {} failed attempts in a row"
                                + " (last: {}); its deliveries wait until POST /api/v1/affiliates/{}/postback/resume",
                        c.affiliateId(), c.tenantId().value(), failuresInARow, reason, c.affiliateId());
            }
        } catch (RuntimeException e) {
            // Pause failed: the failure counter already keeps the endpoint from being claimed; resuming clears it.
            log.warn("Pausing the endpoint of outbound postback {} failed: {}", c.deliveryId(), e.toString());
        } finally {
            underWay.remove(c.attemptId());
        }
    }

    /**
     * Writes the attempt's outcome, retrying a failed write (the database unreachable or failing over) with a
     * growing pause for up to {@code outcome-retry-for}; the lease is renewed meanwhile, so no other claim sends
     * the delivery again while this node still knows how it went. Answers the endpoint's failures in a row, or null
     * when the write could not be made: the delivery is then left in flight until its lease runs out, and sent again
     * with the same delivery id.
     */
    private Integer recordRetrying(DeliveryStore.Claimed c, PostbackSender.Result result, RetryPolicy.Decision decision) {
        long deadline = System.nanoTime() + properties.outcomeRetryFor().toNanos();
        long pause = 100;
        for (int tries = 1; ; tries++) {
            try {
                int failures = store.record(c, result, decision);
                if (tries > 1) {
                    log.info("Recorded outbound postback {} attempt {} ({}) at try {}", c.deliveryId(), c.attempt(),
                            decision.kind(), tries);
                }
                return failures;
            } catch (RuntimeException e) {
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    log.warn("Recording outbound postback {} attempt {} ({}) failed {} times over {} s: {}; it stays in "
                                    + "flight until its lease runs out, then is sent again with the same delivery id",
                            c.deliveryId(), c.attempt(), decision.kind(), tries, properties.outcomeRetryFor().toSeconds(), e.toString());
                    return null;
                }
                if (tries == 1) {
                    log.warn("Recording outbound postback {} attempt {} ({}) failed, retrying for up to {} s: {}",
                            c.deliveryId(), c.attempt(), decision.kind(), properties.outcomeRetryFor().toSeconds(), e.toString());
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                pause = Math.min(pause * 2, 2000);
            }
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
