package io.affnet.command.config;

import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.domain.config.ConfigReferences;
import io.affnet.domain.config.NotInTenantException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.Set;

/**
 * Cross-aggregate checks of the configuration commands, against {@code config_entity}. That table is
 * written in the same transaction as each event, so what it says is what the event store says; every
 * query is filtered by the command's tenant.
 */
@Component
public class ConfigLookup implements ConfigReferences {

    private final JdbcTemplate jdbc;

    public ConfigLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean exists(TenantId tenantId, String kind, String id) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?)",
                Boolean.class, tenantId.value(), kind, id));
    }

    /** The entity's configuration as JSON (its latest event's body), if the tenant has it. */
    public java.util.Optional<String> body(TenantId tenantId, String kind, String id) {
        return jdbc.queryForList("SELECT body::text FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?",
                String.class, tenantId.value(), kind, id).stream().findFirst();
    }

    /** The command's target must be the caller's; otherwise it is "not found", like a missing id. */
    public void requireTarget(TenantId tenantId, String kind, String id, String what) {
        if (id == null || !exists(tenantId, kind, id)) {
            throw new NotInTenantException(what);
        }
    }

    /** The goal names of one of the tenant's offers; empty if the offer does not exist (an offer has ≥ 1 goal). */
    public Set<String> goalsOf(TenantId tenantId, String offerId) {
        return new HashSet<>(jdbc.queryForList("""
                        SELECT g ->> 'name' FROM config_entity, jsonb_array_elements(body -> 'goals') g
                        WHERE tenant_id = ? AND kind = ? AND id = ?""",
                String.class, tenantId.value(), ConfigEntityKinds.OFFER, offerId));
    }

    /** The currency of one of the tenant's offers; null if the offer does not exist (the command handler says so). */
    public String currencyOf(TenantId tenantId, String offerId) {
        return jdbc.query("SELECT body ->> 'currency' FROM config_entity WHERE tenant_id = ? AND kind = ? AND id = ?",
                rs -> rs.next() ? rs.getString(1) : null, tenantId.value(), ConfigEntityKinds.OFFER, offerId);
    }
}
