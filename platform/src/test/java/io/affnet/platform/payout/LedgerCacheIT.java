package io.affnet.platform.payout;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.EarningPostedEvent;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.domain.ledger.AffiliateLedger;
import io.affnet.platform.support.PlatformIT;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiParameterResolverFactory;
import org.axonframework.messaging.annotation.SimpleResourceParameterResolverFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An affiliate's ledger stays in this node's memory between commands (no replay of its history per
 * posting), and a copy that another node's append made stale is never written over: the next command on
 * it fails on the event store's sequence number, the rollback evicts it, and the retry sees both nodes'
 * postings. On the real event store (PostgreSQL).
 */
class LedgerCacheIT extends PlatformIT {

    @Autowired
    CommandGateway commands;

    @Autowired
    Configuration axon;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactions;

    @Autowired
    DeadlineManager deadlines;

    @Test
    void aCopyAnotherNodeMadeStaleFailsOnceIsEvictedAndTheRetryKeepsEveryPosting() throws Exception {
        TenantId tenant = TenantId.generate();
        String affiliate = "aff-" + UUID.randomUUID();
        String ledgerId = AffiliateLedgerId.of(tenant, affiliate);
        assertThat(axon.repository(AffiliateLedger.class)).as("the ledger's repository caches")
                .isInstanceOf(CachingEventSourcingRepository.class);

        commands.sendAndWait(earning(tenant, affiliate, "conv-1"));
        // Another node, with no copy of its own in this node's cache, posts on the same ledger.
        otherNode(earning(tenant, affiliate, "conv-2"));

        assertThatThrownBy(() -> commands.sendAndWait(earning(tenant, affiliate, "conv-3")))
                .as("this node's stale copy collides with the other node's append on the sequence number")
                .isInstanceOf(RuntimeException.class);
        commands.sendAndWait(earning(tenant, affiliate, "conv-3"));
        // A repeat is recognised from the cached copy: nothing is posted twice.
        commands.sendAndWait(earning(tenant, affiliate, "conv-3"));

        List<String> earned = eventStore.readEvents(ledgerId).asStream()
                .filter(m -> m.getPayload() instanceof EarningPostedEvent)
                .map(m -> ((EarningPostedEvent) m.getPayload()).conversionId())
                .toList();
        assertThat(earned).containsExactly("conv-1", "conv-2", "conv-3");
        List<Long> sequence = eventStore.readEvents(ledgerId).asStream().map(m -> m.getSequenceNumber()).toList();
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).as("one unbroken sequence").isEqualTo(i);
        }
    }

    private static PostEarningCommand earning(TenantId tenant, String affiliate, String conversion) {
        return new PostEarningCommand(AffiliateLedgerId.of(tenant, affiliate), tenant, affiliate, conversion, "offer-1",
                new Money(300, "EUR"), new Money(200, "EUR"), Duration.ZERO, Instant.parse("2026-12-01T10:00:00Z"));
    }

    /** The command handled as a second node would: its own repository, no cache, the same event store. */
    private void otherNode(PostEarningCommand command) throws Exception {
        MultiParameterResolverFactory parameters = MultiParameterResolverFactory.ordered(
                ClasspathParameterResolverFactory.forClass(AffiliateLedger.class),
                new SimpleResourceParameterResolverFactory(List.of(deadlines)));
        EventSourcingRepository<AffiliateLedger> repository = EventSourcingRepository.builder(AffiliateLedger.class)
                .eventStore(eventStore).parameterResolverFactory(parameters).build();
        AggregateAnnotationCommandHandler<AffiliateLedger> handler = AggregateAnnotationCommandHandler.<AffiliateLedger>builder()
                .aggregateType(AffiliateLedger.class).repository(repository).parameterResolverFactory(parameters).build();
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command);
        DefaultUnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(message);
        unitOfWork.attachTransaction(transactions);
        var result = unitOfWork.executeWithResult(() -> handler.handle(message));
        if (result.isExceptional()) {
            throw new AssertionError("the other node's posting failed", result.exceptionResult());
        }
    }
}
