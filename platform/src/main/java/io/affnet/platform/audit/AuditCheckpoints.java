package io.affnet.platform.audit;

import io.affnet.api.audit.AuditCheckpointSignedEvent;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Signs the head of every tenant's chain with the active Ed25519 key and appends the checkpoint as the
 * chain's next event, periodically ({@code affnet.audit.checkpoint-interval}) and on demand. The head row is
 * locked while it is read, signed and the checkpoint appended, so the checkpoint is always exactly the link
 * after the one it signs. A head whose newest link is already a checkpoint is skipped (nothing new).
 */
public class AuditCheckpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventStore eventStore;
    private final AuditKeys keys;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    public AuditCheckpoints(JdbcTemplate jdbc, TransactionTemplate transactions, EventStore eventStore, AuditKeys keys,
                            Clock clock, Duration interval) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.eventStore = eventStore;
        this.keys = keys;
        this.clock = clock;
        if (interval.isZero() || interval.isNegative()) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-checkpoints");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::periodic, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void periodic() {
        try {
            int signed = checkpoint(null).size();
            log.info("Audit checkpoints: signed the heads of {} chains with key {}", signed, keys.activeId());
        } catch (RuntimeException e) {
            log.warn("Audit checkpoints failed; next attempt at the next interval", e);
        }
    }

    /**
     * Signs the heads that changed since their last checkpoint.
     *
     * @param tenantId one tenant, or null for all
     * @return the checkpoints appended
     */
    public List<AuditCheckpointSignedEvent> checkpoint(String tenantId) {
        List<String> tenants = tenantId == null
                ? jdbc.queryForList("SELECT tenant_id FROM audit_chain_head WHERE seq > 0 AND NOT head_checkpoint ORDER BY tenant_id", String.class)
                : List.of(tenantId);
        List<AuditCheckpointSignedEvent> signed = new ArrayList<>();
        for (String tenant : tenants) {
            AuditCheckpointSignedEvent cp = transactions.execute(tx -> sign(tenant));
            if (cp != null) {
                signed.add(cp);
            }
        }
        return signed;
    }

    private AuditCheckpointSignedEvent sign(String tenant) {
        List<AuditChainStore.Head> heads = jdbc.query(
                "SELECT tenant_id, seq, hash, global_index, head_checkpoint FROM audit_chain_head WHERE tenant_id = ? FOR UPDATE",
                (rs, i) -> new AuditChainStore.Head(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getLong(4), rs.getBoolean(5)),
                tenant);
        if (heads.isEmpty() || heads.get(0).seq() == 0 || heads.get(0).checkpoint()) {
            return null;
        }
        AuditChainStore.Head head = heads.get(0);
        Instant at = clock.instant();
        String hash = ChainHash.hex(head.hash());
        String signature = keys.sign(AuditKeys.signedBytes(tenant, head.seq(), hash, head.globalIndex(), at));
        AuditCheckpointSignedEvent cp = new AuditCheckpointSignedEvent(tenant, head.seq(), hash, head.globalIndex(),
                keys.activeId(), signature, at);
        MetaData meta = EventTenants.PLATFORM.equals(tenant)
                ? MetaData.with("channel", "system")
                : MetaData.from(Map.of("tenantId", tenant, "channel", "system"));
        eventStore.publish(GenericEventMessage.asEventMessage(cp).andMetaData(meta));
        return cp;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
