-- Set-based validation: a tenant slug is claimed here in the same transaction that appends
-- TenantRegisteredEvent, so two registrations of one slug can never both commit.
CREATE TABLE tenant_slug (
    slug      VARCHAR(40) PRIMARY KEY,
    tenant_id VARCHAR(64) NOT NULL UNIQUE
);

-- API keys (read model, maintained in the same transaction as the events that change it).
-- Only an HMAC-SHA256 of the key is stored; the key itself is shown once.
CREATE TABLE api_key (
    key_id       VARCHAR(64)  PRIMARY KEY,
    key_hash     VARCHAR(128) NOT NULL UNIQUE,
    key_prefix   VARCHAR(32)  NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    principal_id VARCHAR(64)  NOT NULL,
    role         VARCHAR(32)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_key_tenant ON api_key (tenant_id);
