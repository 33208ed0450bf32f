package io.affnet.projections.tenant;

import java.time.Instant;

/** A tenant as stored in the Elasticsearch view; the document id is the tenant id. */
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
