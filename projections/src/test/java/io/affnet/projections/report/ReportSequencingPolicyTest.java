package io.affnet.projections.report;

import io.affnet.api.click.ClickMetaData;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportSequencingPolicyTest {

    private final ReportSequencingPolicy policy = new ReportSequencingPolicy();

    @Test
    void conversionEventsGoByTenantOfferAndAffiliateAndTheLastAnswerIsReusedOnlyForTheSameMessage() {
        EventMessage<?> a = change("t1", "c1", "o1", "a1");
        EventMessage<?> sameKey = change("t1", "c2", "o1", "a1");
        EventMessage<?> otherTenant = change("t2", "c1", "o1", "a1");
        EventMessage<?> shifted = change("t1", "c1", "o1|", "a1");
        Object key = policy.getSequenceIdentifierFor(a);
        assertThat(policy.getSequenceIdentifierFor(a)).as("asked again for the same message").isSameAs(key);
        assertThat(policy.getSequenceIdentifierFor(sameKey)).isEqualTo(key).isNotSameAs(key);
        assertThat(policy.getSequenceIdentifierFor(otherTenant)).isNotEqualTo(key);
        assertThat(policy.getSequenceIdentifierFor(shifted)).isNotEqualTo(policy.getSequenceIdentifierFor(change("t1", "c1", "o1", "|a1")));
        assertThat(policy.getSequenceIdentifierFor(a)).isEqualTo(key);
    }

    @Test
    void aClickIsPlacedByTheKeyInItsMetadataWithoutDeserializingItsPayloadAndOlderClicksByTheirPayload() {
        ClickRecordedEvent click = click("t1", "clk1", "o1", "a1");
        Object fromPayload = policy.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>("Click", "clk1", 0, click, MetaData.with("tenantId", "t1")));
        assertThat(fromPayload).isEqualTo(ReportSequencingPolicy.key(TenantId.of("t1"), "o1", "a1"));

        EventMessage<?> marked = new GenericDomainEventMessage<>("Click", "clk1", 0, click, ClickMetaData.of(click)) {
            @Override
            public ClickRecordedEvent getPayload() {
                throw new AssertionError("the coordinator must not deserialize a click that carries its key");
            }
        };
        assertThat(policy.getSequenceIdentifierFor(marked)).isEqualTo(fromPayload);
        assertThat(policy.getSequenceIdentifierFor(new GenericDomainEventMessage<>("Click", "clk2", 0, click("t1", "clk2", null, "a1"),
                ClickMetaData.of(click("t1", "clk2", null, "a1"))))).isEqualTo(ReportSequencingPolicy.key(TenantId.of("t1"), null, "a1"))
                .isNotEqualTo(fromPayload);
    }

    static ClickRecordedEvent click(String tenant, String clickId, String offer, String affiliate) {
        return new ClickRecordedEvent(TenantId.of(tenant), clickId, "l1", "code", affiliate, 1, offer, 1, null, List.of(),
                Map.of(), Instant.EPOCH, "ua", null, "desktop", "DE", "h", "203.0.113",
                offer == null ? ClickOutcome.NOT_SERVED : ClickOutcome.OFFER, null, null, true);
    }

    private static EventMessage<?> change(String tenant, String click, String offer, String affiliate) {
        return new GenericDomainEventMessage<>("Click", click, 2, new ConversionStatusChangedEvent(TenantId.of(tenant), "cv-" + click,
                click, offer, affiliate, "lead", "tx", ConversionStatus.PENDING, ConversionStatus.APPROVED, null, null, Instant.EPOCH));
    }
}
