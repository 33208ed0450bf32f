package io.affnet.platform.config;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostReversalCommand;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cached resolver answers what Axon's annotation resolver answers, for records, fields, versions and misses. */
class CachedCommandTargetResolverTest {

    record Versioned(@TargetAggregateIdentifier String id, @TargetAggregateVersion long version) {
    }

    static final class Fields {
        @TargetAggregateIdentifier
        private final Object id;
        @TargetAggregateVersion
        private final String version;

        Fields(Object id, String version) {
            this.id = id;
            this.version = version;
        }
    }

    static final class ByMethod {
        @TargetAggregateIdentifier
        String target() {
            return "from-method";
        }
    }

    record NoTarget(String id) {
    }

    private final CachedCommandTargetResolver cached = new CachedCommandTargetResolver();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void answersWhatAxonsResolverAnswers() {
        String ledger = AffiliateLedgerId.of(new TenantId("t-ctr"), "aff-1");
        List<Object> commands = List.of(
                new PostEarningCommand(ledger, new TenantId("t-ctr"), "aff-1", "conv-1", "offer-1", new Money(500, "EUR"),
                        new Money(300, "EUR"), Duration.ofDays(30), Instant.parse("2026-12-07T12:00:00Z")),
                new PostReversalCommand(ledger, new TenantId("t-ctr"), "aff-1", "conv-1", Instant.parse("2026-12-07T12:00:00Z")),
                new Versioned("agg-7", 41L), new Fields(42, "3"), new Fields("x", null), new ByMethod());
        for (Object command : commands) {
            for (int i = 0; i < 2; i++) { // the second time from the cache
                VersionedAggregateIdentifier ours = cached.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                VersionedAggregateIdentifier theirs = axon.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                assertThat(ours).as(command.toString()).isEqualTo(theirs);
                assertThat(ours.getIdentifierValue()).isEqualTo(theirs.getIdentifierValue());
                assertThat(ours.getVersion()).isEqualTo(theirs.getVersion());
            }
        }
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(new Versioned("agg-7", 41L))).getVersion())
                .isEqualTo(41L);
        assertThat(cached.resolveTarget(GenericCommandMessage.asCommandMessage(new ByMethod())).getIdentifier())
                .isEqualTo("from-method");
    }

    @Test
    void aCommandWithoutATargetIsRefusedAsAxonRefusesIt() {
        for (Object command : List.of(new NoTarget("x"), new Versioned(null, 1L), new Fields(null, "1"))) {
            assertThatThrownBy(() -> axon.resolveTarget(GenericCommandMessage.asCommandMessage(command)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> cached.resolveTarget(GenericCommandMessage.asCommandMessage(command)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not identify the target aggregate");
        }
    }
}
