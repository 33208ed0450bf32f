package io.affnet.domain.offer;

import io.affnet.api.common.TenantId;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.ConfigureOfferPixelCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.OfferPixelConfiguredEvent;
import io.affnet.api.offer.OfferCreatedEvent;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.OfferUpdatedEvent;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.domain.config.ConfigReferences;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * What a tenant promotes for one of its advertisers. Each change of terms is a new immutable version;
 * clicks capture the version they were made under. Its advertiser must exist in the tenant
 * ({@link ConfigReferences}).
 */
public class Offer {

    @AggregateIdentifier
    private String offerId;
    private TenantId tenantId;
    private long version;
    private OfferTerms terms;

    protected Offer() {
    }

    public Offer(CreateOfferCommand command, ConfigReferences references) {
        if (command.offerId() == null || command.offerId().isBlank()) {
            throw new InvalidConfigurationException("offerId", "offerId is required");
        }
        ConfigRules.requireTenant(command.tenantId());
        validate(command.tenantId(), command.terms(), references);
        apply(new OfferCreatedEvent(command.offerId(), command.tenantId(), 1, command.terms()));
    }

    public void handle(UpdateOfferCommand command, ConfigReferences references) {
        requireTenant(command.tenantId());
        validate(command.tenantId(), command.terms(), references);
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
        apply(new OfferUpdatedEvent(offerId, tenantId, version + 1, terms.withStatus(command.status())));
    }

    /** The browser pixel is configured apart from the terms: it applies at once, to earlier clicks too. */
    public void handle(ConfigureOfferPixelCommand command) {
        requireTenant(command.tenantId());
        Long ceiling = null;
        if (command.maxAmount() != null) {
            try {
                ceiling = io.affnet.api.common.MoneyJson.money("maxAmount", command.maxAmount(), terms.currency(), false).minor();
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("maxAmount", e.getMessage());
            }
        }
        io.affnet.api.offer.PixelSettings pixel = new io.affnet.api.offer.PixelSettings(command.enabled(),
                command.allowedReferrerDomains(), ceiling);
        OfferRules.validatePixel(pixel);
        apply(new OfferPixelConfiguredEvent(offerId, tenantId, pixel));
    }

    private static void validate(TenantId tenant, OfferTerms terms, ConfigReferences references) {
        OfferRules.validate(terms);
        references.require(tenant, ConfigEntityKinds.ADVERTISER, terms.advertiserId(), "advertiserId");
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
