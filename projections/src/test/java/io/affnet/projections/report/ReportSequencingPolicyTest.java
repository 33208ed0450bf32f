package io.affnet.projections.report;

import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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

    private static EventMessage<?> change(String tenant, String click, String offer, String affiliate) {
        return new GenericDomainEventMessage<>("Click", click, 2, new ConversionStatusChangedEvent(TenantId.of(tenant), "cv-" + click,
                click, offer, affiliate, "lead", "tx", ConversionStatus.PENDING, ConversionStatus.APPROVED, null, null, Instant.EPOCH));
    }
}
