package io.affnet.command.advertiser;

import io.affnet.api.advertiser.CreateAdvertiserCommand;
import io.affnet.api.advertiser.UpdateAdvertiserCommand;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.advertiser.Advertiser;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/** Creates and changes advertisers; the target of a change must belong to the command's tenant. */
@Component
public class AdvertiserCommandHandler {

    private final Repository<Advertiser> advertisers;
    private final ConfigLookup lookup;

    public AdvertiserCommandHandler(Repository<Advertiser> advertisers, ConfigLookup lookup) {
        this.advertisers = advertisers;
        this.lookup = lookup;
    }

    @CommandHandler
    public String handle(CreateAdvertiserCommand command) throws Exception {
        return ConfigCommands.translating("Advertiser", () -> {
            // Validated before the repository sees it, which would log a rejected creation as a warning.
            Advertiser.validate(command.profile());
            advertisers.newInstance(() -> new Advertiser(command));
            return command.advertiserId();
        });
    }

    @CommandHandler
    public Long handle(UpdateAdvertiserCommand command) throws Exception {
        return ConfigCommands.translating("Advertiser", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.ADVERTISER, command.advertiserId(), "Advertiser");
            Aggregate<Advertiser> advertiser = advertisers.load(command.advertiserId());
            advertiser.execute(a -> a.handle(command));
            return advertiser.invoke(Advertiser::version);
        });
    }
}
