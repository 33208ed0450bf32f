package io.affnet.projections.tenant;

import io.affnet.api.tenant.TenantReactivatedEvent;
import io.affnet.api.tenant.TenantSuspendedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts a suspension or reactivation into the tenant's Redis lookup hash as soon as its command commits, so
 * clicks stop (or start) at once instead of when the pooled {@link TenantProjection} gets to the event.
 * It runs in the subscribing {@code api-keys} group, in the command's unit of work, and writes after the
 * commit through {@link TenantProjection#writeCurrentStatus}, the hash's one writer (the status
 * {@code tenant_status} holds then). A failed write is logged: the pooled projection writes the same status shortly after.
 */
@Component
@ProcessingGroup(io.affnet.projections.tenant.ApiKeyProjection.GROUP)
public class TenantStatusRelay {

    private static final Logger log = LoggerFactory.getLogger(TenantStatusRelay.class);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;

    public TenantStatusRelay(StringRedisTemplate redis, JdbcTemplate jdbc) {
        this.redis = redis;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TenantSuspendedEvent event) {
        afterCommit(event.tenantId().value(), "SUSPENDED");
    }

    @EventHandler
    void on(TenantReactivatedEvent event) {
        afterCommit(event.tenantId().value(), "ACTIVE");
    }

    private void afterCommit(String tenantId, String eventStatus) {
        Runnable relay = () -> {
            try {
                TenantProjection.writeCurrentStatus(redis, jdbc, tenantId, eventStatus);
            } catch (RuntimeException e) {
                log.warn("Tenant {} is {} but Redis could not be told yet: {}", tenantId, eventStatus, e.toString());
            }
        };
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> relay.run());
        } else {
            relay.run();
        }
    }
}
