package io.affnet.sagas.delivery;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox of outbound postbacks ({@code outbound_delivery}) and the delivery log
 * ({@code outbound_attempt}). A delivery is claimed with {@code FOR UPDATE SKIP LOCKED}, so nodes never
 * claim the same row, and marked in flight with a lease before it is sent; its node renews the lease while
 * the attempt is under way, so a row whose lease ran out belonged to a node that died (or lost the database)
 * mid-attempt and is sent again with the same delivery id.
 */
public class DeliveryStore {

    /** A delivery claimed for one attempt. */
    public record Claimed(String deliveryId, String attemptId, TenantId tenantId, String affiliateId, String conversionId,
                          String trigger, String method, String url, String body, int attempt, int roundAttempt,
                          Instant roundStartedAt, String sealedSecret, boolean allowPrivateTargets) {
        @Override
        public String toString() {
            return "Claimed[" + deliveryId + " attempt " + attempt + "]";
        }
    }

    /** A delivery to enqueue, already filled. */
    public record NewDelivery(String deliveryId, String eventId, TenantId tenantId, String affiliateId, String conversionId,
                              String clickId, String trigger, String method, String url, String body, Instant eventAt) {
    }

    /** Declared types, so a null (the body of a GET) costs no parameter type lookup. */
    private static final int[] NEW_DELIVERY_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP};

    /**
     * What the log says of an attempt whose lease ran out before its outcome was written. The store cannot tell
     * why: its node stopped, or was cut from the database (for longer than it retries the write), or stalled.
     */
    static final String INTERRUPTED = "the attempt's lease ran out before its outcome was recorded (its node stopped, "
            + "or could not reach the database); outcome unknown, sent again with the same delivery id";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DeliveryStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Writes the deliveries with one batched insert (the driver rewrites it into multi-row inserts), in
     * the caller's transaction (the processor's, with its token). A delivery that exists already (the
     * same event seen again) is left alone.
     */
    public void enqueue(List<NewDelivery> deliveries) {
        jdbc.batchUpdate("""
                        INSERT INTO outbound_delivery (delivery_id, event_id, tenant_id, affiliate_id, conversion_id, click_id,
                            trigger, method, url, body, state, round_started_at, next_attempt_at, event_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', now(), now(), ?)
                        ON CONFLICT DO NOTHING""",
                deliveries.stream().map(d -> new Object[]{d.deliveryId(), d.eventId(), d.tenantId().value(), d.affiliateId(),
                        d.conversionId(), d.clickId(), d.trigger(), d.method(), d.url(), d.body(), Timestamp.from(d.eventAt())})
                        .toList(), NEW_DELIVERY_TYPES);
    }

    /**
     * Claims up to {@code limit} due deliveries, in one transaction of four statements whatever their
     * number: the locking select and batched updates of the deliveries, of the attempts they interrupt
     * and inserts of the new attempts. An endpoint with {@code pauseAfter} failures in a row
     * (0 = never) is skipped at once: its counter changes in the transaction that records the failure,
     * before the pause event exists, so no retry slips out in between.
     */
    public List<Claimed> claim(int limit, Duration lease, int pauseAfter) {
        return tx.execute(status -> {
            List<Object[]> rows = jdbc.query("""
                            SELECT d.delivery_id, d.tenant_id, d.affiliate_id, d.conversion_id, d.trigger, d.method, d.url, d.body,
                                   d.state, d.attempts, d.round_attempts, d.round_started_at, d.in_flight_attempt,
                                   e.sealed_secret, COALESCE(s.allow_private_targets, false), now()
                            FROM outbound_delivery d
                            JOIN outbound_endpoint e ON e.affiliate_id = d.affiliate_id AND e.tenant_id = d.tenant_id
                            LEFT JOIN outbound_settings s ON s.tenant_id = d.tenant_id
                            LEFT JOIN outbound_endpoint_health h ON h.affiliate_id = d.affiliate_id
                            WHERE ((d.state = 'PENDING' AND d.next_attempt_at <= now())
                                OR (d.state = 'IN_FLIGHT' AND d.lease_until < now()))
                              AND NOT e.paused
                              AND (? = 0 OR COALESCE(h.consecutive_failures, 0) < ?)
                            ORDER BY d.next_attempt_at
                            LIMIT ?
                            FOR UPDATE OF d SKIP LOCKED""",
                    (rs, i) -> new Object[]{rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getInt(10), rs.getInt(11), rs.getTimestamp(12), rs.getString(13), rs.getString(14),
                            rs.getBoolean(15), rs.getTimestamp(16)}, pauseAfter, pauseAfter, limit);
            if (rows.isEmpty()) {
                return List.of();
            }
            List<Object[]> interrupted = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>(rows.size());
            List<Object[]> attempts = new ArrayList<>(rows.size());
            List<Claimed> claimed = new ArrayList<>(rows.size());
            for (Object[] r : rows) {
                String deliveryId = (String) r[0];
                if ("IN_FLIGHT".equals(r[8]) && r[12] != null) {
                    interrupted.add(new Object[]{INTERRUPTED, r[12]});
                }
                int attempt = (Integer) r[9] + 1;
                int roundAttempt = (Integer) r[10] + 1;
                String attemptId = UUID.randomUUID().toString();
                // What the update below writes: now() is the transaction's start, the same in both statements.
                Timestamp roundStart = (Integer) r[10] == 0 ? (Timestamp) r[15] : (Timestamp) r[11];
                updates.add(new Object[]{attempt, roundAttempt, lease.toMillis(), attemptId, deliveryId});
                attempts.add(new Object[]{attemptId, deliveryId, r[1], r[2], r[3], attempt, r[5], UrlMasking.mask((String) r[6])});
                claimed.add(new Claimed(deliveryId, attemptId, TenantId.of((String) r[1]), (String) r[2], (String) r[3],
                        (String) r[4], (String) r[5], (String) r[6], (String) r[7], attempt, roundAttempt,
                        roundStart.toInstant(), (String) r[13], (Boolean) r[14]));
            }
            if (!interrupted.isEmpty()) {
                jdbc.batchUpdate("""
                        UPDATE outbound_attempt SET outcome = 'INTERRUPTED', finished_at = now(), error = ?
                        WHERE attempt_id = ? AND outcome = 'IN_FLIGHT'""", interrupted);
            }
            jdbc.batchUpdate("""
                    UPDATE outbound_delivery SET state = 'IN_FLIGHT', attempts = ?, round_attempts = ?,
                        round_started_at = CASE WHEN round_attempts = 0 THEN now() ELSE round_started_at END,
                        lease_until = now() + ? * interval '1 millisecond', in_flight_attempt = ?
                    WHERE delivery_id = ?""", updates);
            jdbc.batchUpdate("""
                    INSERT INTO outbound_attempt (attempt_id, delivery_id, tenant_id, affiliate_id, conversion_id,
                        attempt_no, method, masked_url, outcome, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'IN_FLIGHT', now())""", attempts);
            return claimed;
        });
    }

    /**
     * Extends the leases of these attempts under way ({@code deliveryIds[i]}'s attempt {@code attemptIds[i]}) to
     * {@code lease} from now, for those the attempt still owns; answers how many it extended. One statement on
     * the primary key whatever their number.
     */
    public int renew(String[] deliveryIds, String[] attemptIds, Duration lease) {
        return jdbc.update("""
                        UPDATE outbound_delivery SET lease_until = now() + ? * interval '1 millisecond'
                        WHERE delivery_id = ANY(CAST(? AS text[])) AND in_flight_attempt = ANY(CAST(? AS text[]))
                          AND state = 'IN_FLIGHT'""", lease.toMillis(), deliveryIds, attemptIds);
    }

    /**
     * Writes an attempt's outcome and the delivery's next state, if this attempt still owns the row
     * (a node that overran its lease must not overwrite the attempt that replaced it). Answers the
     * endpoint's failures in a row after this attempt (0 after a success).
     */
    public int record(Claimed c, PostbackSender.Result result, RetryPolicy.Decision decision) {
        String error = result.error() != null ? result.error()
                : result.status() >= 200 && result.status() < 300 ? null : "HTTP " + result.status();
        return tx.execute(status -> {
            String state = switch (decision.kind()) {
                case DELIVERED -> "DELIVERED";
                case RETRY -> "PENDING";
                case DEAD -> "DEAD";
            };
            int owned = jdbc.update("""
                            UPDATE outbound_delivery SET state = ?, last_status = ?, last_error = ?, lease_until = NULL,
                                in_flight_attempt = NULL,
                                delivered_at = CASE WHEN ? = 'DELIVERED' THEN now() ELSE delivered_at END,
                                next_attempt_at = now() + ? * interval '1 millisecond'
                            WHERE delivery_id = ? AND in_flight_attempt = ?""",
                    state, result.status() == 0 ? null : result.status(), error, state,
                    decision.delay() == null ? 0 : decision.delay().toMillis(), c.deliveryId(), c.attemptId());
            String outcome = owned == 0 ? "SUPERSEDED" : switch (decision.kind()) {
                case DELIVERED -> "DELIVERED";
                case RETRY -> "RETRY";
                case DEAD -> "DEAD";
            };
            jdbc.update("""
                            UPDATE outbound_attempt SET outcome = ?, status_code = ?, latency_ms = ?, error = ?, finished_at = now()
                            WHERE attempt_id = ?""",
                    outcome, result.status() == 0 ? null : result.status(), result.latencyMs(), error, c.attemptId());
            if (decision.kind() == RetryPolicy.Kind.DELIVERED) {
                jdbc.update("UPDATE outbound_endpoint_health SET consecutive_failures = 0 WHERE affiliate_id = ? "
                        + "AND consecutive_failures <> 0", c.affiliateId());
                return 0;
            }
            return jdbc.queryForObject("""
                            INSERT INTO outbound_endpoint_health (affiliate_id, tenant_id, consecutive_failures, last_failure_at, last_error)
                            VALUES (?, ?, 1, now(), ?)
                            ON CONFLICT (affiliate_id) DO UPDATE SET consecutive_failures = outbound_endpoint_health.consecutive_failures + 1,
                                last_failure_at = now(), last_error = excluded.last_error
                            RETURNING consecutive_failures""",
                    Integer.class, c.affiliateId(), c.tenantId().value(), error);
        });
    }

    /** Puts dead deliveries of an affiliate back in line with a fresh retry budget; answers how many. */
    public int redeliverDead(TenantId tenantId, String affiliateId, String deliveryId) {
        return jdbc.update("""
                        UPDATE outbound_delivery SET state = 'PENDING', round_attempts = 0, next_attempt_at = now(), last_error = NULL
                        WHERE tenant_id = ? AND affiliate_id = ? AND state = 'DEAD' AND (CAST(? AS VARCHAR) IS NULL OR delivery_id = ?)""",
                tenantId.value(), affiliateId, deliveryId, deliveryId);
    }

    /** Deliveries waiting to be sent or being sent (all tenants): {@code PENDING} and {@code IN_FLIGHT} counts, for metrics. */
    public Map<String, Long> queueDepth() {
        Map<String, Long> depth = new java.util.HashMap<>(Map.of("PENDING", 0L, "IN_FLIGHT", 0L));
        jdbc.query("SELECT state, count(*) FROM outbound_delivery WHERE state IN ('PENDING', 'IN_FLIGHT') GROUP BY state",
                rs -> {
                    depth.put(rs.getString(1), rs.getLong(2));
                });
        return depth;
    }

    /**
     * The amounts (in the paid currency) of these payouts as the payout read model holds them; a payout it
     * has not written yet is missing from the answer.
     */
    public Map<String, Money> paidAmounts(String[] payoutIds) {
        Map<String, Money> amounts = new java.util.HashMap<>();
        jdbc.query("""
                        SELECT payout_id, COALESCE(paid_minor, amount_minor), COALESCE(paid_currency, amount_currency) FROM payout
                        WHERE payout_id = ANY(CAST(? AS text[])) AND COALESCE(paid_currency, amount_currency) IS NOT NULL""",
                rs -> {
                    amounts.put(rs.getString(1), new Money(rs.getLong(2), rs.getString(3)));
                }, (Object) payoutIds);
        return amounts;
    }

    /** An affiliate's endpoint as stored: its templates (JSON) and sealed secret; null when it has none. */
    public record Endpoint(String templates, String sealedSecret) {
    }

    public Endpoint endpoint(TenantId tenantId, String affiliateId) {
        return jdbc.query("SELECT templates::text, sealed_secret FROM outbound_endpoint WHERE affiliate_id = ? AND tenant_id = ?",
                rs -> rs.next() ? new Endpoint(rs.getString(1), rs.getString(2)) : null, affiliateId, tenantId.value());
    }

    /** Whether the tenant allows postbacks to private, loopback and link-local addresses. */
    public boolean allowsPrivateTargets(TenantId tenantId) {
        return Boolean.TRUE.equals(jdbc.query("SELECT allow_private_targets FROM outbound_settings WHERE tenant_id = ?",
                rs -> rs.next() ? rs.getBoolean(1) : Boolean.FALSE, tenantId.value()));
    }

    public String stateOf(TenantId tenantId, String affiliateId, String deliveryId) {
        List<String> states = jdbc.queryForList(
                "SELECT state FROM outbound_delivery WHERE tenant_id = ? AND affiliate_id = ? AND delivery_id = ?",
                String.class, tenantId.value(), affiliateId, deliveryId);
        return states.isEmpty() ? null : states.get(0);
    }
}
