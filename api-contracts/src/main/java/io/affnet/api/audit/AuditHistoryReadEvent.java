package io.affnet.api.audit;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The operator read a tenant's event history (or its state, or verified it): reading across tenants is
 * allowed to the operator only, and is itself part of the tenant's record.
 *
 * @param what the route and its query string
 */
@Revision("1")
public record AuditHistoryReadEvent(String tenantId, String principalId, String what, Instant readAt) {
}
