package io.affnet.command.offer;

import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.ConfigureOfferPixelCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.offer.Offer;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Creates and changes offers; the offer itself checks its terms and its advertiser (through {@link ConfigLookup}). */
@Component
public class OfferCommandHandler {

    private final Repository<Offer> offers;
    private final ConfigLookup lookup;

    public OfferCommandHandler(Repository<Offer> offers, ConfigLookup lookup) {
        this.offers = offers;
        this.lookup = lookup;
    }

    @CommandHandler
    public String handle(CreateOfferCommand command) throws Exception {
        return ConfigCommands.translating("Offer", () -> {
            offers.newInstance(() -> new Offer(command, lookup));
            return command.offerId();
        });
    }

    @CommandHandler
    public Long handle(UpdateOfferCommand command) throws Exception {
        return ConfigCommands.translating("Offer", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.OFFER, command.offerId(), "Offer");
            Aggregate<Offer> offer = offers.load(command.offerId());
            offer.execute(o -> o.handle(command, lookup));
            return offer.invoke(Offer::version);
        });
    }

    @CommandHandler
    public Long handle(ChangeOfferStatusCommand command) throws Exception {
        return ConfigCommands.translating("Offer", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.OFFER, command.offerId(), "Offer");
            Aggregate<Offer> offer = offers.load(command.offerId());
            offer.execute(o -> o.handle(command));
            return offer.invoke(Offer::version);
        });
    }

    @CommandHandler
    public void handle(ConfigureOfferPixelCommand command) throws Exception {
        ConfigCommands.translating("Offer", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.OFFER, command.offerId(), "Offer");
            offers.load(command.offerId()).execute(o -> o.handle(command));
            return null;
        });
    }
}
