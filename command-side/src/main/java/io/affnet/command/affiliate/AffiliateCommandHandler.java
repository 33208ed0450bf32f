package io.affnet.command.affiliate;

import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.affiliate.Affiliate;
import io.affnet.domain.config.InvalidConfigurationException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.util.Set;

/** Creates and changes affiliates; each payout override must name an offer of the tenant and a goal of it. */
@Component
public class AffiliateCommandHandler {

    private final Repository<Affiliate> affiliates;
    private final ConfigLookup lookup;

    public AffiliateCommandHandler(Repository<Affiliate> affiliates, ConfigLookup lookup) {
        this.affiliates = affiliates;
        this.lookup = lookup;
    }

    @CommandHandler
    public String handle(CreateAffiliateCommand command) throws Exception {
        return ConfigCommands.translating("Affiliate", () -> {
            requireOverridesExist(command.tenantId(), command.profile());
            affiliates.newInstance(() -> new Affiliate(command));
            return command.affiliateId();
        });
    }

    @CommandHandler
    public Long handle(UpdateAffiliateCommand command) throws Exception {
        return ConfigCommands.translating("Affiliate", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.AFFILIATE, command.affiliateId(), "Affiliate");
            requireOverridesExist(command.tenantId(), command.profile());
            Aggregate<Affiliate> affiliate = affiliates.load(command.affiliateId());
            affiliate.execute(a -> a.handle(command));
            return affiliate.invoke(Affiliate::version);
        });
    }

    @CommandHandler
    public Long handle(ChangeAffiliateStatusCommand command) throws Exception {
        return ConfigCommands.translating("Affiliate", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.AFFILIATE, command.affiliateId(), "Affiliate");
            Aggregate<Affiliate> affiliate = affiliates.load(command.affiliateId());
            affiliate.execute(a -> a.handle(command));
            return affiliate.invoke(Affiliate::version);
        });
    }

    private void requireOverridesExist(TenantId tenantId, AffiliateProfile profile) {
        Affiliate.validate(profile);
        for (PayoutOverride override : profile.payoutOverrides()) {
            Set<String> goals = lookup.goalsOf(tenantId, override.offerId());
            if (goals.isEmpty()) {
                throw new InvalidConfigurationException("payoutOverrides",
                        "payoutOverrides names offer '" + override.offerId() + "', which does not exist");
            }
            if (!goals.contains(override.goal())) {
                throw new InvalidConfigurationException("payoutOverrides", "offer '" + override.offerId()
                        + "' has no goal '" + override.goal() + "'");
            }
        }
    }
}
