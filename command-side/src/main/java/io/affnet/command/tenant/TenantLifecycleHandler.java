package io.affnet.command.tenant;

import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.tenant.ReactivateTenantCommand;
import io.affnet.api.tenant.SuspendTenantCommand;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.domain.tenant.InvalidTenantException;
import io.affnet.domain.tenant.Tenant;
import io.affnet.web.problem.ApiProblem;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * Suspends and reactivates tenants. Keys and postback tokens follow from {@code tenant_status}, written
 * in the command's transaction. The click path reads the tenant's status from Redis, so once the
 * command commits this handler writes it there too and announces the key on the change channel: every
 * node drops its cached copy at once instead of waiting for the asynchronous projection.
 */
@Component
public class TenantLifecycleHandler {

    private static final Logger log = LoggerFactory.getLogger(TenantLifecycleHandler.class);

    private final Repository<Tenant> tenants;
    private final StringRedisTemplate redis;
    private final ClickConfigCache cache;
    private final Clock clock;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public TenantLifecycleHandler(Repository<Tenant> tenants, StringRedisTemplate redis, ClickConfigCache cache,
                                  Clock clock, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.redis = redis;
        this.cache = cache;
        this.clock = clock;
    }

    @CommandHandler
    public void handle(SuspendTenantCommand command) {
        change(command.tenantId().value(), "SUSPENDED", t -> t.suspend(command.reason(), command.suspendedBy(), clock));
    }

    @CommandHandler
    public void handle(ReactivateTenantCommand command) {
        change(command.tenantId().value(), "ACTIVE", t -> t.reactivate(command.reactivatedBy(), clock));
    }

    private void change(String tenantId, String status, java.util.function.Consumer<Tenant> action) {
        try {
            tenants.load(tenantId).execute(action);
        } catch (AggregateNotFoundException e) {
            throw new CommandExecutionException("tenant not found", null, ApiProblem.notFound("Tenant"));
        } catch (InvalidTenantException e) {
            throw new CommandExecutionException(e.getMessage(), null, ApiProblem.invalid(e.field(), e.getMessage()));
        }
        CurrentUnitOfWork.get().afterCommit(u -> {
            String key = ConfigCacheKeys.tenant(tenantId);
            cache.invalidate(key);
            try {
                // What tenant_status says now: a later suspend/reactivate that committed first must not be undone.
                java.util.List<String> current = jdbc.queryForList("SELECT status FROM tenant_status WHERE tenant_id = ?",
                        String.class, tenantId);
                redis.opsForHash().put(key, "status", current.isEmpty() ? status : current.get(0));
                redis.convertAndSend(ConfigCacheKeys.CHANNEL, key);
            } catch (RuntimeException e) {
                // The tenant-views projection writes the same status shortly after.
                log.warn("Tenant {} is {} but Redis could not be told yet: {}", tenantId, status, e.toString());
            }
        });
    }
}
