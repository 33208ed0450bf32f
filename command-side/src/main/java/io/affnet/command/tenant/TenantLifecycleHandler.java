package io.affnet.command.tenant;

import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.tenant.ReactivateTenantCommand;
import io.affnet.api.tenant.SuspendTenantCommand;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.domain.tenant.InvalidTenantException;
import io.affnet.domain.tenant.Tenant;
import io.affnet.api.common.CommandRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Suspends and reactivates tenants. Keys and postback tokens follow from {@code tenant_status}, written
 * in the command's transaction. The click path reads the tenant's status from Redis: the projections'
 * {@code TenantStatusRelay} (subscribing, so in this unit of work) writes it there once the command commits
 * and announces the key, so every node drops its cached copy at once; the tenant's Redis hash has one
 * writer, {@code TenantProjection}.
 */
@Component
public class TenantLifecycleHandler {

    private final Repository<Tenant> tenants;
    private final ClickConfigCache cache;
    private final Clock clock;

    public TenantLifecycleHandler(Repository<Tenant> tenants, ClickConfigCache cache, Clock clock) {
        this.tenants = tenants;
        this.cache = cache;
        this.clock = clock;
    }

    @CommandHandler
    public void handle(SuspendTenantCommand command) {
        change(command.tenantId().value(), t -> t.suspend(command.reason(), command.suspendedBy(), clock));
    }

    @CommandHandler
    public void handle(ReactivateTenantCommand command) {
        change(command.tenantId().value(), t -> t.reactivate(command.reactivatedBy(), clock));
    }

    private void change(String tenantId, java.util.function.Consumer<Tenant> action) {
        try {
            tenants.load(tenantId).execute(action);
        } catch (AggregateNotFoundException e) {
            throw new CommandExecutionException("tenant not found", null, CommandRejection.notFound("Tenant"));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        }
        // The status reaches Redis through the projections' TenantStatusRelay after this commit; this node's
        // cached copy is dropped once that is done (cleanup follows every after-commit step), and every node
        // drops it when the relay announces the key.
        CurrentUnitOfWork.get().onCleanup(u -> cache.invalidate(ConfigCacheKeys.tenant(tenantId)));
    }
}
