package io.affnet.sagas.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * How outbound postbacks are delivered ({@code affnet.outbound.*}, listed in the README).
 *
 * @param secretKey          platform key that seals affiliates' signing secrets (AES-GCM); never logged
 * @param workerEnabled      whether this node sends deliveries (enqueuing follows the processor's segments)
 * @param attemptTimeout     the most one attempt may take, connect to last byte
 * @param maxAttempts        attempts per delivery before it is dead-lettered
 * @param maxAge             time after the first attempt of a round after which no retry is scheduled
 * @param initialBackoff     wait before the second attempt; doubles each time, with jitter
 * @param maxBackoff         longest wait between attempts (a Retry-After header is capped by it too)
 * @param lease              how long an in-flight delivery belongs to its node without a renewal: the node renews
 *                           the leases of its attempts under way (sending, or writing their outcome) every third of
 *                           it; a delivery whose lease ran out is presumed lost (the node stopped, or could not
 *                           reach the database) and re-sent with the same delivery id. It bounds the re-send after
 *                           a crash, whatever the attempt timeout
 * @param pauseAfterFailures failed attempts in a row after which an endpoint is paused (0 = never)
 * @param retryOn404         treat 404 like a temporary failure (some receivers answer 404 while deploying)
 * @param pollInterval       how often an idle worker looks for due deliveries
 * @param batchSize          deliveries claimed per look
 * @param concurrency        requests in flight per node
 * @param enqueueBatchSize   most conversion events the enqueuing processor ({@code outbound-postbacks}) turns into
 *                           deliveries in one transaction; its rows become claimable when it commits
 * @param enqueueSegments    segments of the enqueuing processor when it first runs (its tokens keep the count
 *                           afterwards; split or merge segments to change it on a running system)
 * @param privateTargets     the operator's exceptions to the global-unicast-only rule, each {@code CIDR} or
 *                           {@code CIDR ports FROM-TO}; empty (the default) = none. Never a tenant's setting.
 * @param outcomeRetryFor    how long a failed write of an attempt's outcome (the database unreachable) is retried,
 *                           its lease renewed meanwhile, before the delivery is left to its lease and re-sent
 */
@ConfigurationProperties(prefix = "affnet.outbound")
public record OutboundProperties(
        String secretKey,
        @DefaultValue("true") boolean workerEnabled,
        @DefaultValue("10s") Duration attemptTimeout,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("24h") Duration maxAge,
        @DefaultValue("10s") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("10s") Duration lease,
        @DefaultValue("10") int pauseAfterFailures,
        @DefaultValue("false") boolean retryOn404,
        @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("32") int concurrency,
        @DefaultValue("50") int enqueueBatchSize,
        @DefaultValue("2") int enqueueSegments,
        List<String> privateTargets,
        @DefaultValue("60s") Duration outcomeRetryFor) {

    public OutboundProperties {
        privateTargets = privateTargets == null ? List.of() : List.copyOf(privateTargets);
        outcomeRetryFor = outcomeRetryFor == null ? Duration.ofSeconds(60) : outcomeRetryFor;
    }

    @Override
    public String toString() {
        return "OutboundProperties[attemptTimeout=" + attemptTimeout + ", maxAttempts=" + maxAttempts + "]";
    }
}
