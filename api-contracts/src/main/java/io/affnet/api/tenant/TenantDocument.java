package io.affnet.api.tenant;

import java.time.Instant;

/**
 * A tenant as stored in the Elasticsearch view ({@value #VIEW}); the document id is the tenant id. The one
 * layout of that view, shared by its writer ({@code TenantProjection}) and its reader (query-side's
 * {@code TenantQueryHandler}), both of which find its alias through {@link io.affnet.api.view.ViewAliases}.
 */
public record TenantDocument(
        String tenantId,
        String slug,
        String name,
        String timezone,
        String currency,
        String status,
        Instant registeredAt) {

    public static final String VIEW = "tenants";
    public static final int VERSION = 1;
    public static final String MAPPING = """
            {"dynamic": "strict",
             "properties": {
               "tenantId": {"type": "keyword"},
               "slug": {"type": "keyword"},
               "name": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
               "timezone": {"type": "keyword"},
               "currency": {"type": "keyword"},
               "status": {"type": "keyword"},
               "registeredAt": {"type": "date"}
             }}""";
}
