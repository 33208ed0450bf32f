package io.affnet.domain.tenant;

import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.api.tenant.TenantRegisteredEvent;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A business running its affiliate programme on affnet. Registration is not a {@code @CommandHandler}
 * on the constructor: the slug must be unique across all tenants, which one aggregate cannot know, so
 * the command side claims the slug in a lookup table first and then creates the aggregate in the same
 * transaction.
 */
public class Tenant {

    @AggregateIdentifier
    private TenantId tenantId;
    private String slug;

    protected Tenant() {
    }

    public Tenant(RegisterTenantCommand command, Clock clock) {
        TenantRules.validate(command);
        apply(new TenantRegisteredEvent(
                command.tenantId(), command.slug(), command.name(), command.timezone(), command.currency(),
                command.adminKeyId(), command.adminKeyHash(), command.adminKeyPrefix(), clock.instant()));
    }

    @EventSourcingHandler
    void on(TenantRegisteredEvent event) {
        this.tenantId = event.tenantId();
        this.slug = event.slug();
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public String slug() {
        return slug;
    }
}
