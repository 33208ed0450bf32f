package io.affnet.platform.payout;

import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.platform.support.PlatformIT;
import io.affnet.sagas.payout.LedgerSequencingPolicy;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ledger intake's earnings keep the tenant and request of their own conversion, also when the conversions of two
 * tenants reach the intake in one batch of one segment. Session 11 tried posting a batch's earnings per ledger as one
 * command, which gave every earning the correlation data of the batch's last event, another tenant's id among them;
 * the tenant in an event's metadata decides the audit chain it joins (EventTenants), so such an earning joined the other
 * tenant's chain. No test caught it; this one would: the approvals of two tenants are appended in one transaction, on
 * ledgers chosen so that the intake's first segment holds ledgers of both (the intake reads up to 200 events a batch),
 * and every earning must carry its own conversion's tenant and request id and be linked into its own tenant's chain.
 */
class LedgerIntakeTenantsIT extends PlatformIT {

    @Autowired
    EventStore eventStore;

    private record Approval(TenantId tenant, String affiliate, String conversion, String requestId) {
        String ledger() {
            return AffiliateLedgerId.of(tenant, affiliate);
        }
    }

    @Test
    void earningsOfTwoTenantsInOneBatchEachJoinTheirOwnTenantsAuditChain() {
        TenantId a = TenantId.generate();
        TenantId b = TenantId.generate();
        // The intake runs 2 segments (application.yml); ledgers are spread by the sequencing policy's identifier.
        Segment[] segments = Segment.splitBalanced(Segment.ROOT_SEGMENT, 1).toArray(Segment[]::new);
        LedgerSequencingPolicy policy = new LedgerSequencingPolicy();
        List<Approval> approvals = new ArrayList<>();
        List<DomainEventMessage<?>> events = new ArrayList<>();
        Instant at = Instant.now();
        int i = 0;
        while (approvals.size() < 12 || !bothTenantsIn(segments[0], approvals, policy, a, b)) {
            TenantId tenant = i % 2 == 0 ? a : b;
            Approval approval = new Approval(tenant, "aff-" + UUID.randomUUID(), "conv-" + UUID.randomUUID(),
                    "req-" + i + "-" + UUID.randomUUID());
            approvals.add(approval);
            String click = "click-" + UUID.randomUUID();
            ConversionRecordedEvent event = new ConversionRecordedEvent(tenant, approval.conversion(), click, "off-1",
                    approval.affiliate(), "adv-1", "lead", "tx-" + UUID.randomUUID(), ConversionStatus.APPROVED,
                    new Money(500, "EUR"), new Money(300, "EUR"), null, null, null, at, at.plusMillis(i), "s2s", null);
            events.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, click, 0, event,
                    MetaData.with("tenantId", tenant.value()).and("requestId", approval.requestId()).and("channel", "postback")));
            i++;
        }
        eventStore.publish(events);

        Map<String, DomainEventMessage<?>> earnings = new HashMap<>();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (Approval approval : approvals) {
                eventStore.readEvents(approval.ledger()).asStream()
                        .filter(m -> m.getPayload() instanceof EarningPostedEvent e && e.conversionId().equals(approval.conversion()))
                        .findFirst().ifPresent(m -> earnings.put(approval.conversion(), m));
            }
            assertThat(earnings).as("an earning per approval").hasSize(approvals.size());
        });

        for (Approval approval : approvals) {
            DomainEventMessage<?> earning = earnings.get(approval.conversion());
            assertThat(earning.getMetaData().get("tenantId")).as("tenant of " + approval).isEqualTo(approval.tenant().value());
            assertThat(earning.getMetaData().get("requestId")).as("request of " + approval).isEqualTo(approval.requestId());
            String chainTenant = jdbc.queryForObject("""
                    SELECT c.tenant_id FROM audit_chain c JOIN domainevententry e ON e.globalindex = c.global_index
                     WHERE e.eventidentifier = ?""", String.class, earning.getIdentifier());
            assertThat(chainTenant).as("the audit chain " + approval + "'s earning joined").isEqualTo(approval.tenant().value());
        }
    }

    private static boolean bothTenantsIn(Segment segment, List<Approval> approvals, LedgerSequencingPolicy policy,
                                         TenantId a, TenantId b) {
        boolean hasA = false;
        boolean hasB = false;
        for (Approval approval : approvals) {
            ConversionRecordedEvent probe = new ConversionRecordedEvent(approval.tenant(), approval.conversion(), "c", "o",
                    approval.affiliate(), "adv", "lead", "tx", ConversionStatus.APPROVED, new Money(1, "EUR"), new Money(1, "EUR"),
                    null, null, null, Instant.EPOCH, Instant.EPOCH, "s2s", null);
            Object id = policy.getSequenceIdentifierFor(new GenericDomainEventMessage<>("Click", "c", 0, probe));
            if (segment.matches(id)) {
                hasA |= approval.tenant().equals(a);
                hasB |= approval.tenant().equals(b);
            }
        }
        return hasA && hasB;
    }
}
