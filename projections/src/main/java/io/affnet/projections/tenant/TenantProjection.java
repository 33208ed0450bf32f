package io.affnet.projections.tenant;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.tenant.TenantDocument;
import io.affnet.api.tenant.TenantReactivatedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;
import io.affnet.api.tenant.TenantSuspendedEvent;
import io.affnet.projections.search.SearchIndices;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;

/**
 * Writes each tenant to the Redis lookup cache ({@code affnet:tenant:{id}}, a hash) and to the
 * Elasticsearch view. Both writes are idempotent (keyed by tenant id), so a replay rewrites the same
 * state.
 */
@Component
@ProcessingGroup(TenantProjection.GROUP)
public class TenantProjection {

    public static final String GROUP = io.affnet.projections.ProcessingGroups.CORE_VIEWS;

    private final StringRedisTemplate redis;
    private final ElasticsearchClient elasticsearch;
    private final SearchIndices indices;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public TenantProjection(StringRedisTemplate redis, ElasticsearchClient elasticsearch, SearchIndices indices,
                            org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.redis = redis;
        this.elasticsearch = elasticsearch;
        this.indices = indices;
    }

    public static String redisKey(String tenantId) {
        return io.affnet.api.config.ConfigCacheKeys.tenant(tenantId);
    }

    @EventHandler
    void on(TenantRegisteredEvent event) throws IOException {
        redis.opsForHash().putAll(redisKey(event.tenantId().value()), Map.of(
                "id", event.tenantId().value(),
                "slug", event.slug(),
                "name", event.name(),
                "timezone", event.timezone(),
                "currency", event.currency()));
        // Only if absent: a suspension the command side wrote right after registration must not be undone
        // by this (asynchronous) write arriving later.
        redis.opsForHash().putIfAbsent(redisKey(event.tenantId().value()), "status", "ACTIVE");
        String alias = indices.ensure(TenantDocument.VIEW, TenantDocument.VERSION, TenantDocument.MAPPING);
        TenantDocument document = new TenantDocument(event.tenantId().value(), event.slug(), event.name(),
                event.timezone(), event.currency(), "ACTIVE", event.registeredAt());
        elasticsearch.index(i -> i.index(alias).id(document.tenantId()).routing(document.tenantId()).document(document));
    }

    @EventHandler
    void on(TenantSuspendedEvent event) throws IOException {
        status(event.tenantId().value(), "SUSPENDED");
    }

    @EventHandler
    void on(TenantReactivatedEvent event) throws IOException {
        status(event.tenantId().value(), "ACTIVE");
    }

    /**
     * {@link TenantStatusRelay} already wrote the status to Redis when the command committed (so clicks stop at
     * once); this repeats it for replays and for a node that missed that write, then tells every node.
     * It writes the status {@code tenant_status} holds now, not the event's: that table changes in the
     * command's transaction, so a late run of this handler for an older event (suspended, then at once
     * reactivated) cannot put an outdated status back.
     */
    private void status(String tenantId, String eventStatus) throws IOException {
        String status = writeCurrentStatus(redis, jdbc, tenantId, eventStatus);
        String alias = indices.ensure(TenantDocument.VIEW, TenantDocument.VERSION, TenantDocument.MAPPING);
        elasticsearch.update(u -> u.index(alias).id(tenantId).routing(tenantId).doc(Map.of("status", status)),
                TenantDocument.class);
    }

    /**
     * Writes the status {@code tenant_status} holds now ({@code eventStatus} if it has no row) and answers it:
     * that table changes in the command's transaction, so a late write for an older event cannot put an
     * outdated status back.
     */
    public static String writeCurrentStatus(StringRedisTemplate redis, org.springframework.jdbc.core.JdbcTemplate jdbc,
                                            String tenantId, String eventStatus) {
        java.util.List<String> current = jdbc.queryForList("SELECT status FROM tenant_status WHERE tenant_id = ?",
                String.class, tenantId);
        String status = current.isEmpty() ? eventStatus : current.get(0);
        writeStatus(redis, tenantId, status);
        return status;
    }

    /** Sets the tenant's status in its lookup hash and announces the key, so every node drops its copy. */
    public static void writeStatus(StringRedisTemplate redis, String tenantId, String status) {
        String key = redisKey(tenantId);
        redis.opsForHash().put(key, "status", status);
        redis.convertAndSend(ConfigCacheKeys.CHANNEL, key);
    }

    @ResetHandler
    void reset() {
        // A replay rewrites every document and key with the same ids: nothing to clear first.
    }
}
