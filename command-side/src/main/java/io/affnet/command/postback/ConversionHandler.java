package io.affnet.command.postback;

import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.api.conversion.RejectionReason;
import io.affnet.command.click.ClickIds;
import io.affnet.domain.click.Click;
import io.affnet.domain.click.ConversionDecision;
import io.affnet.domain.click.UnknownClickException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Routes a reported conversion to its click, whose own command handler decides and records it
 * ({@link Click#handle}: deduplication, window, fraud, caps, money, all in one transaction with the
 * append). What stays here is what no click can answer: a report naming a click that does not exist, or
 * one the reporter may not see, is recorded as rejected for the reporting tenant.
 */
@Component
public class ConversionHandler {

    private final Repository<Click> clicks;
    private final EventBus eventBus;

    public ConversionHandler(Repository<Click> clicks, EventBus eventBus) {
        this.clicks = clicks;
        this.eventBus = eventBus;
    }

    @CommandHandler
    public PostbackOutcome handle(RecordConversionCommand command, CommandMessage<?> message) throws Exception {
        if (!ClickIds.looksValid(command.clickId())) {
            return unknownClick(command);
        }
        Aggregate<Click> aggregate;
        try {
            aggregate = clicks.load(command.clickId());
        } catch (AggregateNotFoundException e) {
            return unknownClick(command);
        }
        ConversionDecision decision;
        try {
            decision = (ConversionDecision) aggregate.handle(message);
        } catch (UnknownClickException e) {
            return unknownClick(command);
        }
        return outcome(decision, command.conversionId());
    }

    private PostbackOutcome unknownClick(RecordConversionCommand command) {
        if (command.tenantId() != null) {
            ConversionInput input = command.input();
            eventBus.publish(GenericEventMessage.asEventMessage(new ConversionRejectedEvent(command.tenantId(),
                    command.clickId(), null, null, input.goal(), input.transactionId(), RejectionReason.UNKNOWN_CLICK,
                    input.receivedAt(), input.channel())).andMetaData(MetaData.with("tenantId", command.tenantId().value())));
        }
        return PostbackOutcome.rejected(RejectionReason.UNKNOWN_CLICK);
    }

    private static PostbackOutcome outcome(ConversionDecision decision, String conversionId) {
        if (decision instanceof ConversionDecision.Record) {
            return PostbackOutcome.accepted(conversionId);
        }
        if (decision instanceof ConversionDecision.ChangeStatus change) {
            return PostbackOutcome.accepted(change.conversionId());
        }
        if (decision instanceof ConversionDecision.Duplicate) {
            return PostbackOutcome.duplicate();
        }
        return PostbackOutcome.rejected(((ConversionDecision.Reject) decision).reason());
    }
}
