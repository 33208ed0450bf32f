package io.affnet.api.tenant;

import java.time.Instant;

/** The profile of a tenant as the query side shows it. */
public record TenantView(
        String id,
        String slug,
        String name,
        String timezone,
        String currency,
        String status,
        Instant registeredAt) {
}
