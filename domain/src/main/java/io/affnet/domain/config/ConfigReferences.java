package io.affnet.domain.config;

import io.affnet.api.common.TenantId;

/**
 * What configuration aggregates ask about other aggregates: whether the tenant has an entity of this
 * kind ({@code ConfigEntityKinds}) and id. The platform answers from a read model written in the same
 * transaction as the events, so the answer is what the event store says.
 */
public interface ConfigReferences {

    boolean exists(TenantId tenant, String kind, String id);

    /** A reference in a request that names nothing of the tenant's is the caller's mistake. */
    default void require(TenantId tenant, String kind, String id, String field) {
        if (!exists(tenant, kind, id)) {
            throw new InvalidConfigurationException(field, field + " '" + id + "' does not exist");
        }
    }
}
