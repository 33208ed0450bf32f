package io.affnet.domain.link;

import io.affnet.api.common.TenantId;
import io.affnet.api.link.CreateLinkCommand;
import io.affnet.api.link.LinkCreatedEvent;
import io.affnet.api.link.LinkSettings;
import io.affnet.api.link.LinkUpdatedEvent;
import io.affnet.api.link.UpdateLinkCommand;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.domain.config.ConfigReferences;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A tracking link of one affiliate: its code never changes, where it sends traffic may. Its affiliate
 * and offers must exist in the tenant ({@link ConfigReferences}); that the code is unique is claimed by
 * the command side in the same transaction.
 */
public class Link {

    public static final int MAX_OFFERS = 50;
    public static final int MAX_PARAMS = 32;
    /** The offer-selection policies traffic distribution provides; their parameters are its business. */
    public static final Set<String> POLICIES =
            Set.of("uniform", "weights", "binom", "voluum", "thompson-epc", "contextual");

    @AggregateIdentifier
    private String linkId;
    private TenantId tenantId;
    private String code;
    private long version;

    protected Link() {
    }

    public Link(CreateLinkCommand command, ConfigReferences references) {
        if (command.linkId() == null || command.linkId().isBlank()) {
            throw new InvalidConfigurationException("linkId", "linkId is required");
        }
        ConfigRules.requireTenant(command.tenantId());
        if (command.code() == null || !LinkCodes.FORMAT.matcher(command.code()).matches()) {
            throw new InvalidConfigurationException("code", "a link code is 12-32 characters of 0-9, A-Z and a-z");
        }
        validate(command.tenantId(), command.settings(), references);
        apply(new LinkCreatedEvent(command.linkId(), command.tenantId(), command.code(), 1, command.settings()));
    }

    public void handle(UpdateLinkCommand command, ConfigReferences references) {
        if (!tenantId.equals(command.tenantId())) {
            throw new NotInTenantException("Link");
        }
        validate(command.tenantId(), command.settings(), references);
        apply(new LinkUpdatedEvent(linkId, tenantId, code, version + 1, command.settings()));
    }

    private static void validate(TenantId tenant, LinkSettings settings, ConfigReferences references) {
        validate(settings);
        references.require(tenant, ConfigEntityKinds.AFFILIATE, settings.affiliateId(), "affiliateId");
        for (String offerId : settings.offerIds()) {
            references.require(tenant, ConfigEntityKinds.OFFER, offerId, "offerIds");
        }
    }

    static void validate(LinkSettings settings) {
        if (settings == null) {
            throw new InvalidConfigurationException("settings", "settings are required");
        }
        ConfigRules.requireText("affiliateId", settings.affiliateId(), 64);
        if (settings.offerIds() == null || settings.offerIds().isEmpty()) {
            throw new InvalidConfigurationException("offerIds", "a link needs at least one offer");
        }
        if (settings.offerIds().size() > MAX_OFFERS) {
            throw new InvalidConfigurationException("offerIds", "a link has at most " + MAX_OFFERS + " offers");
        }
        Set<String> seen = new HashSet<>();
        for (String offerId : settings.offerIds()) {
            ConfigRules.requireText("offerIds", offerId, 64);
            if (!seen.add(offerId)) {
                throw new InvalidConfigurationException("offerIds", "offer " + offerId + " appears twice");
            }
        }
        if (settings.policy() != null && !POLICIES.contains(settings.policy())) {
            throw new InvalidConfigurationException("policy", "policy '" + settings.policy()
                    + "' is unknown; allowed: uniform, weights, binom, voluum, thompson-epc, contextual");
        }
        if (settings.policyParams() == null) {
            throw new InvalidConfigurationException("policyParams", "policyParams is required (may be empty)");
        }
        if (settings.policyParams().size() > MAX_PARAMS) {
            throw new InvalidConfigurationException("policyParams", "at most " + MAX_PARAMS + " policy parameters");
        }
        for (Map.Entry<String, String> p : settings.policyParams().entrySet()) {
            ConfigRules.requireText("policyParams", p.getKey(), 64);
            ConfigRules.requireText("policyParams", p.getValue(), 1024);
        }
        if (settings.status() == null) {
            throw new InvalidConfigurationException("status", "status must be ACTIVE or DISABLED");
        }
    }

    @EventSourcingHandler
    void on(LinkCreatedEvent event) {
        this.linkId = event.linkId();
        this.tenantId = event.tenantId();
        this.code = event.code();
        this.version = event.version();
    }

    @EventSourcingHandler
    void on(LinkUpdatedEvent event) {
        this.version = event.version();
    }

    public String linkId() {
        return linkId;
    }

    public String code() {
        return code;
    }

    public long version() {
        return version;
    }
}
