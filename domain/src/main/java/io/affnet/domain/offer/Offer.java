package io.affnet.domain.offer;

import io.affnet.api.common.TenantId;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.OfferCreatedEvent;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.OfferUpdatedEvent;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * What a tenant promotes for one of its advertisers. Each change of terms is a new immutable version;
 * clicks capture the version they were made under. That the advertiser exists in the tenant is checked
 * by the command side, which can see other aggregates.
 */
public class Offer {

    @AggregateIdentifier
    private String offerId;
    private TenantId tenantId;
    private long version;
    private OfferTerms terms;

    protected Offer() {
    }

    public Offer(CreateOfferCommand command) {
        if (command.offerId() == null || command.offerId().isBlank()) {
            throw new InvalidConfigurationException("offerId", "offerId is required");
        }
        ConfigRules.requireTenant(command.tenantId());
        OfferRules.validate(command.terms());
        apply(new OfferCreatedEvent(command.offerId(), command.tenantId(), 1, command.terms()));
    }

    public void handle(UpdateOfferCommand command) {
        requireTenant(command.tenantId());
        OfferRules.validate(command.terms());
        apply(new OfferUpdatedEvent(offerId, tenantId, version + 1, command.terms()));
    }

    /** A pause or resume is a new version of the same terms; asking for the current status changes nothing. */
    public void handle(ChangeOfferStatusCommand command) {
        requireTenant(command.tenantId());
        if (command.status() == null) {
            throw new InvalidConfigurationException("status", "status must be ACTIVE or PAUSED");
        }
        if (command.status() == terms.status()) {
            return;
        }
        OfferTerms t = terms;
        apply(new OfferUpdatedEvent(offerId, tenantId, version + 1, new OfferTerms(t.name(), t.advertiserId(),
                t.destinationUrl(), t.currency(), command.status(), t.goals(), t.attributionWindowSeconds(), t.caps(),
                t.allowedCountries(), t.allowedDeviceClasses(), t.fallbackUrl())));
    }

    private void requireTenant(TenantId commandTenant) {
        if (!tenantId.equals(commandTenant)) {
            throw new NotInTenantException("Offer");
        }
    }

    @EventSourcingHandler
    void on(OfferCreatedEvent event) {
        this.offerId = event.offerId();
        this.tenantId = event.tenantId();
        this.version = event.version();
        this.terms = event.terms();
    }

    @EventSourcingHandler
    void on(OfferUpdatedEvent event) {
        this.version = event.version();
        this.terms = event.terms();
    }

    public String offerId() {
        return offerId;
    }

    public long version() {
        return version;
    }

    public OfferTerms terms() {
        return terms;
    }
}
