package io.affnet.sagas.payout;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.ledger.AffiliateLedgerId;
import io.affnet.api.ledger.PostEarningCommand;
import io.affnet.api.ledger.PostEarningsCommand;
import io.affnet.api.ledger.PostReversalCommand;
import io.affnet.api.payout.PayoutTerms;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger intake in a processor batch (Axon's {@link BatchingUnitOfWork}, the handler interceptor as the
 * processor runs it): one command per ledger with the batch's earnings in order, a reversal after the earnings
 * before it, nothing sent by a batch that rolls back, and a batch without the interceptor failing instead of
 * committing without its earnings.
 */
class LedgerIntakeBatchTest {

    static final TenantId T = TenantId.of("t-intake");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private final List<Object> sent = new ArrayList<>();
    private final AtomicInteger terms = new AtomicInteger();
    private final CommandGateway gateway = gateway();
    /** The tenant's terms: the defaults, counting the reads (no database here; the gateway only records). */
    private final LedgerIntake intake = new LedgerIntake(gateway, new PayoutTermsLookup(null) {
        @Override
        public PayoutTerms of(String tenantId) {
            terms.incrementAndGet();
            return PayoutTerms.defaults();
        }
    });

    private CommandGateway gateway() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        for (Class<?> type : List.of(PostEarningCommand.class, PostEarningsCommand.class, PostReversalCommand.class)) {
            bus.subscribe(type.getName(), command -> {
                sent.add(command.getPayload());
                return null;
            });
        }
        return DefaultCommandGateway.builder().commandBus(bus).build();
    }

    private static EventMessage<?> approved(String conversion, String affiliate) {
        return GenericEventMessage.asEventMessage(new ConversionRecordedEvent(T, conversion, "clk-" + conversion, "off1", affiliate,
                "adv1", "sale", "tx-" + conversion, ConversionStatus.APPROVED, new Money(300, "EUR"), new Money(200, "EUR"), null,
                null, null, AT, AT, "s2s", null, null));
    }

    private static EventMessage<?> pending(String conversion, String affiliate) {
        return GenericEventMessage.asEventMessage(new ConversionRecordedEvent(T, conversion, "clk-" + conversion, "off1", affiliate,
                "adv1", "sale", "tx-" + conversion, ConversionStatus.PENDING, new Money(300, "EUR"), new Money(200, "EUR"), null,
                null, null, AT, AT, "s2s", null, null));
    }

    private static EventMessage<?> reversed(String conversion, String affiliate) {
        return GenericEventMessage.asEventMessage(new ConversionStatusChangedEvent(T, conversion, "clk-" + conversion, "off1",
                affiliate, "sale", "tx-" + conversion, ConversionStatus.APPROVED, ConversionStatus.REVERSED,
                new Money(300, "EUR"), new Money(200, "EUR"), AT.plusSeconds(60)));
    }

    /** Runs the events as one processor batch; {@code failOn} (a conversion id or null) makes its handling throw. */
    private ResultMessage<?> batch(List<EventMessage<?>> events, boolean withInterceptor, String failOn) throws Exception {
        BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(events);
        List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors =
                withInterceptor ? List.of(LedgerIntake.batchEnd(gateway)) : List.of();
        return batch.executeWithResult(() -> new DefaultInterceptorChain<EventMessage<?>>(batch, interceptors, message -> {
            Object payload = message.getPayload();
            if (payload instanceof ConversionRecordedEvent e) {
                if (e.conversionId().equals(failOn)) {
                    throw new IllegalStateException("handler failed on " + failOn);
                }
                intake.on(e);
            } else if (payload instanceof ConversionStatusChangedEvent e) {
                intake.on(e);
            }
            return null;
        }).proceed());
    }

    private static String ledger(String affiliate) {
        return AffiliateLedgerId.of(T, affiliate);
    }

    private List<String> earned(Object command) {
        return ((PostEarningsCommand) command).earnings().stream().map(PostEarningCommand::conversionId).toList();
    }

    @Test
    void aBatchSendsOneCommandPerLedgerWithItsEarningsInOrderAndAReversalAfterTheEarningsBeforeIt() throws Exception {
        ResultMessage<?> result = batch(List.of(approved("cvA", "aff1"), approved("cvB", "aff1"), pending("cvP", "aff1"),
                approved("cvC", "aff2"), reversed("cvA", "aff1"), approved("cvD", "aff1"), pending("cvQ", "aff2")), true, null);

        assertThat(result.isExceptional()).as(String.valueOf(result)).isFalse();
        assertThat(sent).hasSize(4);
        assertThat(sent.get(0)).isInstanceOf(PostEarningsCommand.class);
        assertThat(((PostEarningsCommand) sent.get(0)).ledgerId()).isEqualTo(ledger("aff1"));
        assertThat(earned(sent.get(0))).containsExactly("cvA", "cvB");
        assertThat(sent.get(1)).isEqualTo(new PostReversalCommand(ledger("aff1"), T, "aff1", "cvA", AT.plusSeconds(60)));
        // At the batch's end (its last event a pending conversion, which posts nothing): the ledgers in the order met.
        assertThat(((PostEarningsCommand) sent.get(2)).ledgerId()).isEqualTo(ledger("aff2"));
        assertThat(earned(sent.get(2))).containsExactly("cvC");
        assertThat(((PostEarningsCommand) sent.get(3)).ledgerId()).isEqualTo(ledger("aff1"));
        assertThat(earned(sent.get(3))).containsExactly("cvD");
        assertThat(terms).as("the tenant's terms read once per batch").hasValue(1);
    }

    @Test
    void aBatchThatRollsBackSendsNoEarningsAndItsRedeliverySendsThemOnce() throws Exception {
        List<EventMessage<?>> events = List.of(approved("cvA", "aff1"), approved("cvB", "aff1"), approved("cvX", "aff1"));

        ResultMessage<?> failed = batch(events, true, "cvX");
        assertThat(failed.isExceptional()).isTrue();
        assertThat(sent).as("the earnings collected before the failure are dropped with the batch").isEmpty();

        ResultMessage<?> again = batch(events, true, null);
        assertThat(again.isExceptional()).isFalse();
        assertThat(sent).hasSize(1);
        assertThat(earned(sent.get(0))).containsExactly("cvA", "cvB", "cvX");
    }

    @Test
    void aBatchWithoutTheInterceptorFailsRatherThanCommitWithoutItsEarnings() throws Exception {
        ResultMessage<?> result = batch(List.of(approved("cvA", "aff1")), false, null);

        assertThat(result.isExceptional()).isTrue();
        assertThat(result.exceptionResult()).hasMessageContaining("not posted");
        assertThat(sent).isEmpty();
    }

    @Test
    void outsideAProcessorBatchAnApprovalIsSentAtOnce() {
        intake.on((ConversionRecordedEvent) approved("cvA", "aff1").getPayload());

        assertThat(sent).hasSize(1);
        assertThat(((PostEarningCommand) sent.get(0)).conversionId()).isEqualTo("cvA");
    }
}
