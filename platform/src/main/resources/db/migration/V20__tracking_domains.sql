-- A tenant's own host names for tracking (issue 12): one tenant per host, written by ApiKeyProjection.
CREATE TABLE tracking_domain (
    host       VARCHAR(253) PRIMARY KEY,
    tenant_id  VARCHAR(64)  NOT NULL,
    position   INT          NOT NULL
);
CREATE INDEX tracking_domain_tenant ON tracking_domain (tenant_id, position);
