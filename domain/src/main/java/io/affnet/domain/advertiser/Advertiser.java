package io.affnet.domain.advertiser;

import io.affnet.api.common.Cidr;
import io.affnet.api.advertiser.AdvertiserCreatedEvent;
import io.affnet.api.advertiser.AdvertiserProfile;
import io.affnet.api.advertiser.AdvertiserUpdatedEvent;
import io.affnet.api.advertiser.CreateAdvertiserCommand;
import io.affnet.api.advertiser.UpdateAdvertiserCommand;
import io.affnet.api.common.TenantId;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A party of one tenant that pays for the results of its offers. */
public class Advertiser {

    @AggregateIdentifier
    private String advertiserId;
    private TenantId tenantId;
    private long version;

    protected Advertiser() {
    }

    public Advertiser(CreateAdvertiserCommand command) {
        if (command.advertiserId() == null || command.advertiserId().isBlank()) {
            throw new InvalidConfigurationException("advertiserId", "advertiserId is required");
        }
        ConfigRules.requireTenant(command.tenantId());
        validate(command.profile());
        apply(new AdvertiserCreatedEvent(command.advertiserId(), command.tenantId(), 1, command.profile()));
    }

    public void handle(UpdateAdvertiserCommand command) {
        if (!tenantId.equals(command.tenantId())) {
            throw new NotInTenantException("Advertiser");
        }
        validate(command.profile());
        apply(new AdvertiserUpdatedEvent(advertiserId, tenantId, version + 1, command.profile()));
    }

    public static void validate(AdvertiserProfile profile) {
        if (profile == null) {
            throw new InvalidConfigurationException("profile", "profile is required");
        }
        ConfigRules.requireName("name", profile.name());
        ConfigRules.requireCurrency("defaultCurrency", profile.defaultCurrency());
        if (profile.postbackIpAllowlist() != null) {
            if (profile.postbackIpAllowlist().size() > 50) {
                throw new InvalidConfigurationException("postbackIpAllowlist", "at most 50 ranges");
            }
            for (String range : profile.postbackIpAllowlist()) {
                try {
                    Cidr.parse(range);
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigurationException("postbackIpAllowlist",
                            "'" + range + "' is not a CIDR range such as 203.0.113.0/24 or 2001:db8::/32");
                }
            }
        }
    }

    @EventSourcingHandler
    void on(AdvertiserCreatedEvent event) {
        this.advertiserId = event.advertiserId();
        this.tenantId = event.tenantId();
        this.version = event.version();
    }

    @EventSourcingHandler
    void on(AdvertiserUpdatedEvent event) {
        this.version = event.version();
    }

    public String advertiserId() {
        return advertiserId;
    }

    public long version() {
        return version;
    }
}
