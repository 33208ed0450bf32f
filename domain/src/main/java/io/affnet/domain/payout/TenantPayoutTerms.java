package io.affnet.domain.payout;

import io.affnet.api.payout.PayoutTermsSetEvent;
import io.affnet.api.payout.SetPayoutTermsCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A tenant's payout terms (hold periods, schedule, thresholds, negative-balance rule), changed only by events. */
public class TenantPayoutTerms {

    @AggregateIdentifier
    private String termsId;

    protected TenantPayoutTerms() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(SetPayoutTermsCommand command) {
        PayoutRules.validate(command.terms());
        apply(new PayoutTermsSetEvent(command.tenantId(), command.terms(), command.setBy(), command.at()));
    }

    @EventSourcingHandler
    void on(PayoutTermsSetEvent event) {
        termsId = SetPayoutTermsCommand.idOf(event.tenantId());
    }
}
