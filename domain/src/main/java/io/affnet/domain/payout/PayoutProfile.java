package io.affnet.domain.payout;

import io.affnet.api.common.TenantId;
import io.affnet.api.payout.AddPayoutMethodCommand;
import io.affnet.api.payout.ConfirmPayoutMethodCommand;
import io.affnet.api.payout.PayoutMethodAddedEvent;
import io.affnet.api.payout.PayoutMethodConfirmedEvent;
import io.affnet.api.payout.PayoutProfileId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An affiliate's payout methods. Changing where money goes is a sensitive flow: a new method is only
 * requested; it is used once a tenant admin confirms it (not the affiliate itself), and both steps are
 * events in the audit trail.
 */
public class PayoutProfile {

    @AggregateIdentifier
    private String profileId;
    private TenantId tenantId;
    private final Map<String, Boolean> requested = new HashMap<>();
    private final Set<String> confirmed = new HashSet<>();
    private boolean hasDefault;

    protected PayoutProfile() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(AddPayoutMethodCommand command) {
        if (requested.containsKey(command.method().methodId())) {
            return;
        }
        apply(new PayoutMethodAddedEvent(command.tenantId(), command.affiliateId(), command.method(), command.makeDefault(),
                command.requestedBy(), command.at()));
    }

    @CommandHandler
    void handle(ConfirmPayoutMethodCommand command) {
        if (!tenantId.equals(command.tenantId()) || !requested.containsKey(command.methodId())) {
            throw new PayoutRunStateException("unknown payout method");
        }
        if (confirmed.contains(command.methodId())) {
            return;
        }
        boolean isDefault = requested.get(command.methodId()) || !hasDefault;
        apply(new PayoutMethodConfirmedEvent(tenantId, affiliateId(), command.methodId(), isDefault,
                command.confirmedBy(), command.at()));
    }

    private String affiliateId() {
        return profileId.substring(("payout-profile:" + tenantId.value() + ":").length());
    }

    @EventSourcingHandler
    void on(PayoutMethodAddedEvent event) {
        if (profileId == null) {
            profileId = PayoutProfileId.of(event.tenantId(), event.affiliateId());
            tenantId = event.tenantId();
        }
        requested.put(event.method().methodId(), event.makeDefault());
    }

    @EventSourcingHandler
    void on(PayoutMethodConfirmedEvent event) {
        confirmed.add(event.methodId());
        hasDefault |= event.isDefault();
    }
}
