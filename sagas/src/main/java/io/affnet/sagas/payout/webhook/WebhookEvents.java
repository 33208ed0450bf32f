package io.affnet.sagas.payout.webhook;

import io.affnet.sagas.payout.processor.PayoutNotifications;
import io.affnet.sagas.payout.processor.ProcessorName;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * The owner of {@code processor_webhook_event}: a verified event is reported to {@link PayoutNotifications}
 * once per (processor, event id). The id is recorded in the same transaction as the report, so an event
 * whose report failed is not marked seen and the provider's redelivery is acted on. Order does not
 * matter: the receiver re-fetches the payout's current state from the processor.
 */
public class WebhookEvents {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PayoutNotifications notifications;

    public WebhookEvents(JdbcTemplate jdbc, TransactionTemplate tx, PayoutNotifications notifications) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.notifications = notifications;
    }

    /** True when this is the first time the event is seen (and it was reported); false for a duplicate. */
    public boolean report(String tenantId, ProcessorName processor, String eventId, String eventType, String reference,
                          String batchReference) {
        Boolean first = tx.execute(s -> {
            int inserted = jdbc.update("""
                    INSERT INTO processor_webhook_event (processor, event_id, tenant_id, event_type, received_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT (processor, event_id) DO NOTHING
                    """, processor.name(), eventId, tenantId, eventType, Timestamp.from(Instant.now()));
            if (inserted == 1) {
                notifications.processorReported(tenantId, processor, eventId, reference, batchReference);
            }
            return inserted == 1;
        });
        return Boolean.TRUE.equals(first);
    }
}
