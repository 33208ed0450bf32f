package io.affnet.domain.affiliate;

import io.affnet.api.affiliate.AffiliateCreatedEvent;
import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateUpdatedEvent;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.TenantId;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A partner of one tenant who sends traffic and earns commissions. That each payout override names an
 * offer and goal of the tenant is checked by the command side, which can see the offers.
 */
public class Affiliate {

    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_OVERRIDES = 1000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    @AggregateIdentifier
    private String affiliateId;
    private TenantId tenantId;
    private long version;
    private AffiliateProfile profile;

    protected Affiliate() {
    }

    public Affiliate(CreateAffiliateCommand command) {
        if (command.affiliateId() == null || command.affiliateId().isBlank()) {
            throw new InvalidConfigurationException("affiliateId", "affiliateId is required");
        }
        ConfigRules.requireTenant(command.tenantId());
        validate(command.profile());
        apply(new AffiliateCreatedEvent(command.affiliateId(), command.tenantId(), 1, command.profile()));
    }

    public void handle(UpdateAffiliateCommand command) {
        requireTenant(command.tenantId());
        validate(command.profile());
        apply(new AffiliateUpdatedEvent(affiliateId, tenantId, version + 1, command.profile()));
    }

    /** Suspending a suspended affiliate (or reactivating an active one) changes nothing. */
    public void handle(ChangeAffiliateStatusCommand command) {
        requireTenant(command.tenantId());
        if (command.status() == null) {
            throw new InvalidConfigurationException("status", "status must be ACTIVE or SUSPENDED");
        }
        if (command.status() == profile.status()) {
            return;
        }
        apply(new AffiliateUpdatedEvent(affiliateId, tenantId, version + 1,
                new AffiliateProfile(profile.name(), profile.email(), command.status(), profile.payoutOverrides())));
    }

    public static void validate(AffiliateProfile profile) {
        if (profile == null) {
            throw new InvalidConfigurationException("profile", "profile is required");
        }
        ConfigRules.requireName("name", profile.name());
        ConfigRules.requireText("email", profile.email(), MAX_EMAIL_LENGTH);
        if (!EMAIL.matcher(profile.email()).matches()) {
            throw new InvalidConfigurationException("email", "email must look like name@example.com");
        }
        if (profile.status() == null) {
            throw new InvalidConfigurationException("status", "status must be ACTIVE or SUSPENDED");
        }
        if (profile.payoutOverrides() == null) {
            throw new InvalidConfigurationException("payoutOverrides", "payoutOverrides is required (may be empty)");
        }
        if (profile.payoutOverrides().size() > MAX_OVERRIDES) {
            throw new InvalidConfigurationException("payoutOverrides", "at most " + MAX_OVERRIDES + " payout overrides");
        }
        Set<String> seen = new HashSet<>();
        for (PayoutOverride o : profile.payoutOverrides()) {
            if (o == null || o.offerId() == null || o.offerId().isBlank() || o.goal() == null || o.goal().isBlank()
                    || o.payout() == null) {
                throw new InvalidConfigurationException("payoutOverrides",
                        "each payout override needs an offerId, a goal and a payout");
            }
            ConfigRules.requireAmount("payoutOverrides.payout", o.payout());
            if (!seen.add(o.offerId() + "\u0000" + o.goal())) {
                throw new InvalidConfigurationException("payoutOverrides",
                        "offer " + o.offerId() + " goal '" + o.goal() + "' has two payout overrides");
            }
        }
    }

    private void requireTenant(TenantId commandTenant) {
        if (!tenantId.equals(commandTenant)) {
            throw new NotInTenantException("Affiliate");
        }
    }

    @EventSourcingHandler
    void on(AffiliateCreatedEvent event) {
        this.affiliateId = event.affiliateId();
        this.tenantId = event.tenantId();
        this.version = event.version();
        this.profile = event.profile();
    }

    @EventSourcingHandler
    void on(AffiliateUpdatedEvent event) {
        this.version = event.version();
        this.profile = event.profile();
    }

    public String affiliateId() {
        return affiliateId;
    }

    public long version() {
        return version;
    }
}
