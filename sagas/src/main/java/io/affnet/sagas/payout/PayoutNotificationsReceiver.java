package io.affnet.sagas.payout;

import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.payout.ReportPayoutNewsCommand;
import io.affnet.sagas.payout.processor.PayoutNotifications;
import io.affnet.sagas.payout.processor.ProcessorName;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Where verified webhooks land: finds the tenant's payout by the processor's reference (or batch
 * reference) in the {@code payout} read model and tells its saga to re-fetch it. A reference this
 * tenant does not have is ignored (another tenant's, or not yet recorded: the saga polls anyway).
 */
@Component
public class PayoutNotificationsReceiver implements PayoutNotifications {

    private static final Logger log = LoggerFactory.getLogger(PayoutNotificationsReceiver.class);

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;

    public PayoutNotificationsReceiver(JdbcTemplate jdbc, CommandGateway commands) {
        this.jdbc = jdbc;
        this.commands = commands;
    }

    @Override
    public void processorReported(String tenantId, ProcessorName processor, String eventId, String reference,
                                  String batchReference) {
        List<String[]> payouts = jdbc.query("""
                        SELECT payout_id, affiliate_id FROM payout
                        WHERE tenant_id = ? AND processor = ? AND (reference = ? OR batch_reference = ?)""",
                (rs, i) -> new String[]{rs.getString(1), rs.getString(2)}, tenantId, processor.name(), reference,
                batchReference);
        if (payouts.isEmpty()) {
            log.info("{} event {} names no payout of tenant {}", processor, eventId, tenantId);
        }
        for (String[] p : payouts) {
            commands.sendAndWait(new ReportPayoutNewsCommand(AffiliateLedgerId.of(TenantId.of(tenantId), p[1]), p[0],
                    eventId, Instant.now()));
        }
    }
}
